import type { Box } from './geometry.ts';

/**
 * Letterboxing fits an image into a model's fixed input without stretching it: one uniform scale,
 * the rest padded. Stretching a 4:3 or portrait frame into 320×240 squashes faces and the detector's
 * boxes with them.
 */
export interface Letterbox {
  readonly scale: number;
  /** Size of the scaled image inside the input. */
  readonly width: number;
  readonly height: number;
  /** Padding before the scaled image (left, top). */
  readonly padX: number;
  readonly padY: number;
  readonly inputWidth: number;
  readonly inputHeight: number;
}

export function letterbox(srcWidth: number, srcHeight: number, inputWidth: number, inputHeight: number): Letterbox {
  const scale = Math.min(inputWidth / srcWidth, inputHeight / srcHeight);
  const width = Math.max(1, Math.round(srcWidth * scale));
  const height = Math.max(1, Math.round(srcHeight * scale));
  return {
    scale,
    width,
    height,
    padX: Math.floor((inputWidth - width) / 2),
    padY: Math.floor((inputHeight - height) / 2),
    inputWidth,
    inputHeight,
  };
}

/** A box in normalised model-input coordinates (0…1) back to source-image pixels. */
export function unletterboxBox(lb: Letterbox, nb: Box): Box {
  const toSrcX = (u: number) => (u * lb.inputWidth - lb.padX) / lb.scale;
  const toSrcY = (v: number) => (v * lb.inputHeight - lb.padY) / lb.scale;
  return { x1: toSrcX(nb.x1), y1: toSrcY(nb.y1), x2: toSrcX(nb.x2), y2: toSrcY(nb.y2) };
}
