import { render, screen, waitFor } from '@testing-library/react';
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { OtpQrCode } from './OtpQrCode';

/** The dark modules the component drew, read back from its SVG path, as an RGBA image to decode. */
function imageOf(svg: SVGElement): { data: Uint8ClampedArray; width: number; height: number } {
  const [, , w] = svg.getAttribute('viewBox')!.split(' ').map(Number);
  const scale = 4;
  const width = w * scale;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  const d = svg.querySelector('path')!.getAttribute('d')!;
  for (const [, x, y] of d.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) {
    for (let dy = 0; dy < scale; dy++)
      for (let dx = 0; dx < scale; dx++) {
        const at = ((Number(y) * scale + dy) * width + Number(x) * scale + dx) * 4;
        data[at] = data[at + 1] = data[at + 2] = 0;
      }
  }
  return { data, width, height: width };
}

describe('the enrolment QR code', () => {
  it('encodes exactly the otpauth link the server gave, for an authenticator app to scan', async () => {
    const url = 'otpauth://totp/Cellule:camille%40val-fictif.test?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Cellule&algorithm=SHA1&digits=6&period=30';
    render(<OtpQrCode value={url} />);
    const svg = await waitFor(() => screen.getByRole('img', { name: /QR code/ }) as unknown as SVGElement);
    const { data, width, height } = imageOf(svg);
    expect(jsQR(data, width, height)?.data).toBe(url);
  });
});
