import deblur, { evalDegrade as deblurEval } from '@fluxir/plugin-deblur';
import dehaze, { evalDegrade as dehazeEval } from '@fluxir/plugin-dehaze';
import denoise, { evalDegrade as denoiseEval } from '@fluxir/plugin-denoise';
import derain, { evalDegrade as derainEval } from '@fluxir/plugin-derain';
import inpaint, { evalDegrade as inpaintEval } from '@fluxir/plugin-inpaint';
import lowlight, { evalDegrade as lowlightEval } from '@fluxir/plugin-lowlight';
import superres, { evalDegrade as superresEval } from '@fluxir/plugin-superres';
import { describePluginContract } from '@fluxir/sdk/testing';

// The classical baselines of denoising, super-resolution and inpainting must beat their input outright;
// the others only must not make it much worse on a smooth synthetic image.
describePluginContract(denoise, { evalDegrade: denoiseEval, baselineImproves: true });
describePluginContract(superres, { evalDegrade: superresEval, baselineImproves: true });
describePluginContract(inpaint, { evalDegrade: inpaintEval, baselineImproves: true });
describePluginContract(deblur, { evalDegrade: deblurEval });
describePluginContract(dehaze, { evalDegrade: dehazeEval });
describePluginContract(derain, { evalDegrade: derainEval });
describePluginContract(lowlight, { evalDegrade: lowlightEval });
