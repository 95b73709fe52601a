// Animated export (loaded only when used): records frames of the cluster as WebM through the
// browser's MediaRecorder, at 1280x720, with the step and its caption burned in.
//
// The app passes the frames (step, label, caption), how long to hold each, `goto(step)` (moves
// the app there through its own messages; each call is a frame begun), and `snapshot()` (the
// cluster on screen as a standalone SVG document). It gets back `{ done, cancel }`: `done` resolves to
// the video as a Blob, or to null once cancelled, in which case nothing is kept.

const W = 1280;
const H = 720;
const BAND = 150; // the caption band under the picture
const FPS = 30;

/** The recording formats this browser can write, best first. */
function mimeType() {
  if (typeof MediaRecorder === 'undefined') throw new Error('this browser cannot record video (no MediaRecorder)');
  const types = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'];
  const t = types.find((x) => MediaRecorder.isTypeSupported(x));
  if (!t) throw new Error('this browser cannot record WebM video');
  return t;
}

const frame = () => new Promise((r) => requestAnimationFrame(() => r()));

/** Waits until the cluster on screen shows `step` (the app renders after its message is handled). */
async function shown(step) {
  const end = performance.now() + 15000; // generous: a busy machine may be slow to render
  for (;;) {
    const svg = document.querySelector('svg.cluster');
    if (svg && svg.dataset.step === String(step)) return;
    if (performance.now() > end) throw new Error(`the app did not show step ${step}`);
    await frame();
  }
}

function image(svgText) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('a frame could not be drawn'));
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`;
  });
}

/** Lines of `text` no wider than `max` pixels in the context's font. */
function wrap(ctx, text, max) {
  const lines = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && ctx.measureText(`${last} ${word}`).width <= max) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** One whole frame: the picture fitted above, the band with the step and the caption below. */
function compose(ctx, img, shot) {
  ctx.fillStyle = '#f7f7f4';
  ctx.fillRect(0, 0, W, H - BAND);
  const scale = Math.min(W / img.width, (H - BAND) / img.height);
  const w = img.width * scale;
  const h = img.height * scale;
  ctx.drawImage(img, (W - w) / 2, (H - BAND - h) / 2, w, h);
  ctx.fillStyle = '#16161a';
  ctx.fillRect(0, H - BAND, W, BAND);
  ctx.fillStyle = '#ffd84d';
  ctx.font = 'bold 22px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  ctx.fillText(shot.label, 28, H - BAND + 14);
  // The largest type at which the caption fits the band (the longest narrations get 17 px).
  ctx.fillStyle = '#ffffff';
  let size = 26;
  let lines;
  for (;;) {
    ctx.font = `${size}px system-ui, sans-serif`;
    lines = wrap(ctx, shot.caption, W - 56);
    if (lines.length * size * 1.25 <= BAND - 52 || size <= 17) break;
    size -= 1;
  }
  const room = Math.max(1, Math.floor((BAND - 52) / (size * 1.25)));
  if (lines.length > room) lines = [...lines.slice(0, room - 1), `${lines[room - 1]} …`];
  lines.forEach((l, i) => ctx.fillText(l, 28, H - BAND + 48 + i * size * 1.25));
}

/**
 * Chrome's recorder leaves the WebM without a duration, so players cannot show its length or
 * seek in it. This writes one (EBML Duration in the Segment's Info, in milliseconds).
 */
async function withDuration(blob, ms) {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const find = (id, from, to) => {
    for (let i = from; i + id.length <= to; i++) if (id.every((b, k) => bytes[i + k] === b)) return i;
    return -1;
  };
  const vint = (at) => {
    const first = bytes[at];
    let len = 1;
    while (len <= 8 && !(first & (0x80 >> (len - 1)))) len++;
    let v = first & (0xff >> len);
    for (let k = 1; k < len; k++) v = v * 256 + bytes[at + k];
    return { len, v };
  };
  const info = find([0x15, 0x49, 0xa9, 0x66], 0, Math.min(bytes.length, 4096));
  if (info < 0 || find([0x44, 0x89], info, info + 64) >= 0) return blob;
  const size = vint(info + 4);
  const grown = size.v + 11;
  if (grown >= 2 ** (7 * size.len) - 1) return blob;
  const head = new Uint8Array(4 + size.len);
  head.set(bytes.subarray(info, info + 4));
  for (let k = size.len - 1, v = grown; k >= 0; k--, v = Math.floor(v / 256)) head[4 + k] = v & 0xff;
  head[4] |= 0x80 >> (size.len - 1);
  const duration = new Uint8Array(11);
  duration.set([0x44, 0x89, 0x88]);
  new DataView(duration.buffer).setFloat64(3, ms);
  const body = info + 4 + size.len;
  return new Blob([bytes.subarray(0, info), head, duration, bytes.subarray(body)], { type: blob.type });
}

export function record({ shots, holdMs, goto, snapshot }) {
  let cancelled = false;
  let recorder = null;
  const done = (async () => {
    const type = mimeType();
    const canvas = document.createElement('canvas');
    canvas.width = W;
    canvas.height = H;
    const ctx = canvas.getContext('2d');
    const stream = canvas.captureStream(FPS);
    recorder = new MediaRecorder(stream, { mimeType: type, videoBitsPerSecond: 2_500_000 });
    const chunks = [];
    recorder.ondataavailable = (e) => { if (e.data.size > 0) chunks.push(e.data); };
    const stopped = new Promise((r) => { recorder.onstop = r; });
    let started = 0;
    try {
      for (let i = 0; i < shots.length && !cancelled; i++) {
        goto(shots[i].step);
        await shown(shots[i].step);
        const img = await image(snapshot());
        if (cancelled) break;
        compose(ctx, img, shots[i]);
        if (recorder.state === 'inactive') {
          recorder.start(1000);
          started = performance.now();
        }
        // Held frame by frame, so the video runs on at a steady rate while nothing moves.
        const until = started + (i + 1) * holdMs;
        while (!cancelled && performance.now() < until) {
          ctx.drawImage(canvas, 0, 0);
          await frame();
        }
      }
    } finally {
      if (recorder.state !== 'inactive') recorder.stop();
      stream.getTracks().forEach((t) => t.stop());
    }
    await stopped;
    if (cancelled) return null;
    return withDuration(new Blob(chunks, { type: 'video/webm' }), performance.now() - started);
  })();
  return {
    done,
    cancel() {
      cancelled = true;
    },
  };
}
