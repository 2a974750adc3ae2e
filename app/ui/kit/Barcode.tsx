import QRCode from 'qrcode';
import { useEffect, useState } from 'preact/hooks';

/**
 * Barcodes on screen, drawn as vectors from their module matrix: sharp at any size, black on white
 * in every colour mode (scanners and phone cameras need the contrast). The paper's barcodes are
 * raster dots from the same encoders (app/platform/printer/barcodes.ts).
 */
function useSvg(text: string, draw: (text: string) => Promise<string>): string | undefined {
  const [src, setSrc] = useState<string | undefined>();
  useEffect(() => {
    let live = true;
    draw(text)
      .then((svg) => live && setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`))
      .catch(() => live && setSrc(undefined));
    return () => {
      live = false;
    };
  }, [text]);
  return src;
}

const qrSvg = (text: string) => QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });

/** PDF417 (BWIPP's rows are three modules high, as on paper); the encoder loads only when a screen needs it. */
async function pdf417Svg(text: string): Promise<string> {
  const { pdf417, drawingSVG } = await import('bwip-js/browser');
  // `columns` is BWIPP's own option, beyond the typed ones: six data columns, as the wide paper prints.
  const options = { bcid: 'pdf417', text, columns: 6, paddingwidth: 2, paddingheight: 2, backgroundcolor: 'FFFFFF' };
  return pdf417(options, drawingSVG());
}

export function QrCode({ text, class: cls, testId, alt = '' }: { text: string; class?: string; testId?: string; alt?: string }) {
  const src = useSvg(text, qrSvg);
  return src ? <img class={`barcode qr ${cls ?? ''}`} src={src} alt={alt} data-testid={testId} data-payload={text} /> : null;
}

export function Pdf417({ text, class: cls, testId, alt = '' }: { text: string; class?: string; testId?: string; alt?: string }) {
  const src = useSvg(text, pdf417Svg);
  return src ? <img class={`barcode pdf417 ${cls ?? ''}`} src={src} alt={alt} data-testid={testId} data-payload={text} /> : null;
}
