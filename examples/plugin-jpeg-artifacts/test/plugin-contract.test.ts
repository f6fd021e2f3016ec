import { describePluginContract } from '@fluxir/sdk/testing';
import plugin from '../src';

describePluginContract(plugin, { baselineImproves: true });
