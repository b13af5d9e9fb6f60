/**
 * Time as the domain sees it. Every rule about seconds, expiry and ordering takes a `Clock`, so tests
 * can set the time instead of waiting for it.
 */
export interface Clock {
  nowMs(): number
  nowSeconds(): number
}

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  nowSeconds: () => Math.floor(Date.now() / 1000),
}

/** A clock that moves only when told to; for tests and simulations. */
export class ManualClock implements Clock {
  #ms: number

  constructor(startMs: number = Date.now()) {
    this.#ms = startMs
  }

  nowMs(): number {
    return this.#ms
  }

  nowSeconds(): number {
    return Math.floor(this.#ms / 1000)
  }

  set(ms: number): void {
    this.#ms = ms
  }

  advanceSeconds(seconds: number): void {
    this.#ms += seconds * 1000
  }
}
