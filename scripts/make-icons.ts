import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';

/**
 * Draws the PassLens icons (run once; the PNGs are committed): a lens over a ticket.
 * color.png 192x192 on the accent colour; outline.png 32x32, white on transparent, as
 * Teams requires. `node --import tsx scripts/make-icons.ts`
 */
type Rgba = [number, number, number, number];

function draw(size: number, background: Rgba | null, ink: Rgba): PNG {
  const png = new PNG({ width: size, height: size });
  const s = size / 32;
  const c = { x: 14 * s, y: 14 * s };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const d = Math.hypot(px - c.x, py - c.y);
      const ring = d >= 7.5 * s && d <= 10 * s;
      // the handle: a thick segment from the ring to the lower right corner
      const t = ((px - c.x) + (py - c.y)) / 2;
      const off = Math.abs((px - c.x) - (py - c.y)) / Math.SQRT2;
      const handle = t > 7.2 * s && t < 12.5 * s && off < 1.9 * s;
      // the ticket inside the lens: a rounded bar with a notch
      const ticket = Math.abs(px - c.x) < 4.6 * s && Math.abs(py - c.y) < 2.6 * s && !(Math.abs(px - c.x) < 1.1 * s && Math.abs(py - c.y) > 1.2 * s);
      const i = (y * size + x) * 4;
      const on = ring || handle || ticket;
      const color = on ? ink : background ?? [0, 0, 0, 0];
      png.data[i] = color[0];
      png.data[i + 1] = color[1];
      png.data[i + 2] = color[2];
      png.data[i + 3] = color[3];
    }
  }
  return png;
}

const dir = join(__dirname, '../appPackage');
writeFileSync(join(dir, 'color.png'), PNG.sync.write(draw(192, [0x5b, 0x3f, 0xd9, 255], [255, 255, 255, 255])));
writeFileSync(join(dir, 'outline.png'), PNG.sync.write(draw(32, null, [255, 255, 255, 255])));
