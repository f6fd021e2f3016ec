export * from './psnr';
export * from './ssim';
