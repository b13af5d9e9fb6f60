/**
 * MsgKey, the identity of a C2C message within its conversation (spec §4.2, design.md decision 4):
 * `{MsgSeq}_{MsgRandom}_{MsgTime}`, all unsigned decimal, MsgTime in Unix seconds.
 */
import { randomInt } from 'node:crypto'

export type MsgKey = string & { readonly __brand: 'MsgKey' }

/** MsgSeq and MsgRandom are 32-bit unsigned integers (spec §4.2). */
export const UINT32_MAX = 4_294_967_295

export interface MsgKeyParts {
  msgSeq: number
  msgRandom: number
  msgTime: number
}

export function formatMsgKey(p: MsgKeyParts): MsgKey {
  return `${p.msgSeq}_${p.msgRandom}_${p.msgTime}` as MsgKey
}

const SHAPE = /^(0|[1-9]\d{0,9})_(0|[1-9]\d{0,9})_(0|[1-9]\d{0,9})$/

/** The parts of a well-formed key, or undefined. Leading zeros are refused so one message has one key. */
export function parseMsgKey(text: string): (MsgKeyParts & { msgKey: MsgKey }) | undefined {
  const m = SHAPE.exec(text)
  if (m === null) return undefined
  const [msgSeq, msgRandom, msgTime] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (msgSeq > UINT32_MAX || msgRandom > UINT32_MAX || msgTime > UINT32_MAX) return undefined
  return { msgSeq, msgRandom, msgTime, msgKey: text as MsgKey }
}

/** Tencent fills an absent MsgSeq with a random number (spec §4.2). */
export function randomUint32(): number {
  return randomInt(0, 2 ** 32)
}
