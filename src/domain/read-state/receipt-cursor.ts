/**
 * The opaque `Cursor` of get_group_msg_receipt_detail (spec §6.13). Pages walk the audience in
 * membership order, so the cursor is the last membership number a page returned, written as a
 * decimal string like Tencent's (`"144115213529088617"`). `""` starts; `"0"` ends (decision 11).
 */
export const FIRST_PAGE = ''
export const LAST_PAGE = '0'

/** The membership number to continue after, or undefined for a cursor receiptd did not write. */
export function decodeCursor(cursor: string): number | undefined {
  if (cursor === FIRST_PAGE || cursor === LAST_PAGE) return 0
  if (!/^[1-9]\d{0,15}$/.test(cursor)) return undefined
  const n = Number(cursor)
  return Number.isSafeInteger(n) ? n : undefined
}

export const encodeCursor = (afterMemberNo: number): string => String(afterMemberNo)
