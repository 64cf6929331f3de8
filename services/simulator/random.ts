// The simulator's only source of randomness. Everything it generates is a function of the seed, so
// a run can be replayed byte for byte; independent concerns (baseline, scenarios, disorder) draw
// from forked streams so that, say, adding a scenario does not shift the baseline it is mixed into.

/** FNV-1a over the text: turns a seed and a stream name into 32-bit generator state. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** sfc32: small, fast, and passes PractRand far beyond what a simulation draws. */
export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  readonly #seed: string;

  constructor(seed: string | number) {
    this.#seed = String(seed);
    this.#a = hash32(`${this.#seed}/a`);
    this.#b = hash32(`${this.#seed}/b`);
    this.#c = hash32(`${this.#seed}/c`);
    this.#d = 1;
    // Warm up so that seeds differing in one character give unrelated streams from the first draw.
    for (let i = 0; i < 15; i++) this.next();
  }

  /** An independent stream for one concern, reproducible from the parent seed and the name alone. */
  fork(name: string): Random {
    return new Random(`${this.#seed}:${name}`);
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** Uniform in the logarithm: as likely between 1 and 10 minutes as between 1 and 10 hours. */
  logUniform(min: number, max: number): number {
    return min * Math.exp(this.next() * Math.log(max / min));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('cannot pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks an item with probability proportional to its weight. */
  weighted<T>(items: readonly T[], weightOf: (item: T) => number): T {
    let total = 0;
    for (const item of items) total += weightOf(item);
    let point = this.next() * total;
    for (const item of items) {
      point -= weightOf(item);
      if (point < 0) return item;
    }
    return items[items.length - 1]!;
  }

  /** Standard normal by Box-Muller (one of the pair is discarded to keep the state simple). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Log-normal with the given median: payment amounts are skewed, with a long tail of big tickets. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Lowercase hex, e.g. for fingerprints and device ids. */
  hex(length: number): string {
    let text = '';
    while (text.length < length) text += Math.floor(this.next() * 0x10000).toString(16).padStart(4, '0');
    return text.slice(0, length);
  }
}
