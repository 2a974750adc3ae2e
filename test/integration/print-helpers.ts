/**
 * Test helpers that read paper: barcode decoding with zxing-wasm (ZXing C++ in WebAssembly, loaded
 * from the package's own .wasm file: no network) and image helpers on 1-bit rasters.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, readBarcodes, type ReadResult } from 'zxing-wasm/reader';

interface Dots {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

let ready: Promise<unknown> | undefined;

function loadZxing(): Promise<unknown> {
  if (!ready) {
    const require = createRequire(import.meta.url);
    const wasm = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
    ready = prepareZXingModule({
      overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer },
      fireImmediately: true,
    });
  }
  return ready;
}

/** Decodes every barcode of the given formats on a 1-bit image (1 = black). */
export async function decodeBarcodes(img: Dots, formats: ('QRCode' | 'PDF417' | 'ITF' | 'Code128')[]): Promise<ReadResult[]> {
  await loadZxing();
  const rgba = new Uint8ClampedArray(img.width * img.height * 4);
  for (let i = 0; i < img.data.length; i++) {
    const v = img.data[i] ? 0 : 255;
    rgba[i * 4] = v;
    rgba[i * 4 + 1] = v;
    rgba[i * 4 + 2] = v;
    rgba[i * 4 + 3] = 255;
  }
  const results = await readBarcodes(
    { data: rgba, width: img.width, height: img.height, colorSpace: 'srgb' } as ImageData,
    { formats, tryHarder: true, maxNumberOfSymbols: 8 },
  );
  return results.filter((r) => r.isValid);
}
