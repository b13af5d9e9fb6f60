/**
 * An interval index that SQL B-trees can serve: the relational interval tree (Kriegel, Pötke,
 * Seidl, "Managing Intervals Efficiently in Object-Relational Databases", VLDB 2000). Each
 * interval of seqs is filed under one node of a fixed binary tree over [0, 2^32), the highest node
 * whose split point it contains; the intervals that contain a seq `s` are then, for each of the 33
 * nodes on `s`'s path, those of the node with `lo <= s` (when `s` is left of the split point) or
 * those with `hi >= s` (right of it): 33 index range scans that return exactly the matches, so
 * listing the k intervals that hold a seq costs O(log n + k) however many intervals there are.
 *
 * A node is one integer, `prefix * 64 + level`: `level` is the smallest L with
 * `floor(lo / 2^L) = floor(hi / 2^L)`, `prefix` that common value. Migration 0007 computes the same
 * number in SQL for rows written before it.
 */

/** MsgSeq is a uint32 (spec §6.6): the end of an interval that has none yet ("unread from here on"). */
export const MAX_SEQ = 2 ** 32 - 1

const LEVELS = 33
const pow2 = Array.from({ length: LEVELS }, (_, l) => 2 ** l)

export function nodeOf(lo: number, hi: number): number {
  let level = 0
  while (Math.floor(lo / pow2[level]!) !== Math.floor(hi / pow2[level]!)) level++
  return Math.floor(hi / pow2[level]!) * 64 + level
}

/** The nodes that can hold an interval containing `seq`, and which bound decides at each. */
export interface Stab {
  node: number
  /** true: the node's intervals with `lo <= seq` contain it; false: those with `hi >= seq`. */
  byLo: boolean
}

export function stabsOf(seq: number): Stab[] {
  const out: Stab[] = []
  for (let level = 0; level < LEVELS; level++) {
    const prefix = Math.floor(seq / pow2[level]!)
    // Level 0 holds single seqs: lo = hi = seq. Above, every interval of the node contains the
    // split point, the first seq of the upper half of the node's block.
    const split = level === 0 ? seq : prefix * pow2[level]! + pow2[level - 1]!
    out.push({ node: prefix * 64 + level, byLo: seq < split || level === 0 })
  }
  return out
}

/** A new membership has read nothing: one unread stretch, from the seq after its join on. */
export function unreadFrom(joinSeq: number): { lo: number; hi: number; node: number } {
  return { lo: joinSeq + 1, hi: MAX_SEQ, node: nodeOf(joinSeq + 1, MAX_SEQ) }
}
