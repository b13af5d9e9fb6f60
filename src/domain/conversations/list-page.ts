/**
 * Paging of the conversation list (spec part 2 §17.1): entries come in ascending time order, and a
 * page's cursor is (`TimeStamp` = the time of the last entry returned, `StartIndex` = how many
 * entries with exactly that time have been returned so far) [U: the format is undocumented; it only
 * has to round-trip through the client]. The last page answers the current time and 0, as the doc
 * sample and the captured answer show.
 */

/** [U] Entries per section and page; Tencent does not document its size. */
export const LIST_PAGE_SIZE = 100

/** [U] Without AssistFlags bit 2 every pinned entry comes on the first page; this bounds it. */
export const MAX_PINNED_ON_FIRST_PAGE = 1000

/** AssistFlags bits (spec part 2 §17.1). 0–7 are accepted: doocs users send 0 for "nothing". */
export const ASSIST_PINNED = 1
export const ASSIST_EMPTY = 2
export const ASSIST_PAGE_PINNED = 4

export interface Cursor {
  time: number
  index: number
}

/**
 * The cursor after a page. `page` holds the times of the entries returned (ascending), `more`
 * whether entries follow them; `from` is the cursor the page was asked with.
 */
export function nextCursor(from: Cursor, page: readonly number[], more: boolean, nowSeconds: number): Cursor {
  const last = page.at(-1)
  if (!more || last === undefined) return { time: nowSeconds, index: 0 }
  let same = 0
  for (let i = page.length - 1; i >= 0 && page[i] === last; i--) same++
  // The entries of `last`'s time skipped by the request's cursor come before this page's.
  return { time: last, index: same + (last === from.time ? from.index : 0) }
}
