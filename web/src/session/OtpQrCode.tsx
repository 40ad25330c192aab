import { useEffect, useState } from 'react';

/**
 * The enrolment link (otpauth://…) as a QR code for the authenticator app to scan. Drawn as SVG
 * rectangles in the page (no image URL, no inline markup: the secret never leaves the page and the
 * Content-Security-Policy stays strict); the encoder loads on demand, outside the initial bundle.
 */
export function OtpQrCode({ value }: { value: string }) {
  const [modules, setModules] = useState<boolean[][] | null>(null);
  useEffect(() => {
    let live = true;
    void import('uqr').then(({ encode }) => {
      // Level M: enough redundancy for a screen photographed at an angle.
      if (live) setModules(encode(value, { ecc: 'M', border: 0 }).data);
    });
    return () => {
      live = false;
    };
  }, [value]);
  if (!modules) return null;
  const size = modules.length;
  const quiet = 4;
  const path = modules.flatMap((row, y) => row.flatMap((dark, x) => (dark ? [`M${x + quiet} ${y + quiet}h1v1h-1z`] : []))).join('');
  return (
    <svg
      className="otp-qr"
      role="img"
      aria-label="QR code à scanner avec l'application d'authentification"
      viewBox={`0 0 ${size + 2 * quiet} ${size + 2 * quiet}`}
      width={Math.max(180, (size + 2 * quiet) * 5)}
      height={Math.max(180, (size + 2 * quiet) * 5)}
      shapeRendering="crispEdges"
    >
      <rect width="100%" height="100%" fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
