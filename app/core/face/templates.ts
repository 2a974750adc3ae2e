import type { Point } from './geometry.ts';

/** Where the five alignment points (eye centres, nose tip, mouth corners) go in an embedder's input. */
export interface AlignTemplate {
  readonly size: number;
  readonly points: readonly Point[];
}

/**
 * dlib's face chip at 150 px with padding 0.25 (what its ResNet, and so face-api's FaceRecognitionNet,
 * was trained on): the five points taken from dlib's published mean face shape, mapped as
 * (0.25 + v) / 1.5 · 150.
 */
export const DLIB_150: AlignTemplate = {
  size: 150,
  points: [
    { x: 47.549, y: 46.599 },
    { x: 100.476, y: 46.599 },
    { x: 74.013, y: 76.563 },
    { x: 50.415, y: 103.023 },
    { x: 97.61, y: 103.023 },
  ],
};

/** The widely used 112×112 five-point template of ArcFace-style embedders (faceplugin's 512-d model). */
export const ARCFACE_112: AlignTemplate = {
  size: 112,
  points: [
    { x: 38.2946, y: 51.6963 },
    { x: 73.5318, y: 51.5014 },
    { x: 56.0252, y: 71.7366 },
    { x: 41.5493, y: 92.3655 },
    { x: 70.7299, y: 92.2041 },
  ],
};
