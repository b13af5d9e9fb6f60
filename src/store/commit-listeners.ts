/**
 * Listeners told after a commit that may have changed an app's data (`Store.onCommit`), for live
 * views. Stores check `active` before doing any work for them, so nothing is spent on the write
 * path while nobody listens.
 */
export type CommitListener = (sdkAppId: number | undefined) => void

export class CommitListeners {
  readonly #listeners = new Set<CommitListener>()

  get active(): boolean {
    return this.#listeners.size > 0
  }

  subscribe(listener: CommitListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  emit(sdkAppId: number | undefined): void {
    for (const l of this.#listeners) {
      try {
        l(sdkAppId)
      } catch {
        // A listener's failure is its own; the commit it reports has happened.
      }
    }
  }
}
