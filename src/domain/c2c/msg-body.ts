/**
 * MsgBody validation (spec §4.1): an array of TIMMsgElement `{MsgType, MsgContent}`. The element
 * types and their content keys are Tencent's; checks are by JSON type so clients that send extra
 * keys keep working. Text is kept exactly as sent, emoji and other 4-byte UTF-8 included.
 */

export type MsgBodyCode = 90002 | 90007 | 90010

export type MsgBodyCheck = { ok: true; body: MsgElement[] } | { ok: false; code: MsgBodyCode; reason: string }

export interface MsgElement {
  MsgType: string
  MsgContent: Record<string, unknown>
}

type Kind = 'string' | 'number' | 'array' | 'object' | 'downloadFlag'

interface ElementRule {
  required: readonly string[]
  fields: Readonly<Record<string, Kind>>
}

const rules: Readonly<Record<string, ElementRule>> = {
  TIMTextElem: { required: ['Text'], fields: { Text: 'string' } },
  TIMLocationElem: {
    required: ['Latitude', 'Longitude'],
    fields: { Desc: 'string', Latitude: 'number', Longitude: 'number' },
  },
  TIMFaceElem: { required: ['Index'], fields: { Index: 'number', Data: 'string' } },
  TIMCustomElem: { required: [], fields: { Data: 'string', Desc: 'string', Ext: 'string', Sound: 'string' } },
  TIMSoundElem: {
    required: [],
    fields: {
      Url: 'string',
      UUID: 'string',
      Size: 'number',
      Second: 'number',
      Download_Flag: 'downloadFlag',
    },
  },
  TIMImageElem: {
    required: [],
    fields: { UUID: 'string', ImageFormat: 'number', ImageInfoArray: 'array' },
  },
  TIMFileElem: {
    required: [],
    // `fileName` is lower-case in Tencent's format description (spec §4.1).
    fields: {
      Url: 'string',
      UUID: 'string',
      FileSize: 'number',
      fileName: 'string',
      Download_Flag: 'downloadFlag',
    },
  },
  TIMVideoFileElem: {
    required: [],
    fields: {
      VideoUrl: 'string',
      VideoUUID: 'string',
      VideoSize: 'number',
      VideoSecond: 'number',
      VideoFormat: 'string',
      VideoDownloadFlag: 'downloadFlag',
      ThumbUrl: 'string',
      ThumbUUID: 'string',
      ThumbSize: 'number',
      ThumbWidth: 'number',
      ThumbHeight: 'number',
      ThumbFormat: 'string',
      ThumbDownloadFlag: 'downloadFlag',
    },
  },
  TIMRelayElem: {
    required: [],
    fields: {
      Title: 'string',
      MsgNum: 'number',
      CompatibleText: 'string',
      AbstractList: 'array',
      MsgList: 'array',
      JsonMsgKey: 'string',
    },
  },
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function kindOk(kind: Kind, v: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof v === 'string'
    case 'number':
      return typeof v === 'number' && Number.isFinite(v)
    case 'array':
      return Array.isArray(v)
    case 'object':
      return isObject(v)
    case 'downloadFlag':
      // Files are downloaded from Tencent's COS only with flag 2 (spec §4.1).
      return v === 2
  }
}

/**
 * [U] Tencent documents 90002 and 90010 for the same kind of fault. receiptd answers 90002 for
 * the shape of an element (not an object, unknown MsgType, MsgContent not an object, an empty
 * body) and 90010 for the content of a known element (missing or mistyped keys, two
 * TIMCustomElem in one message).
 */
export function checkMsgBody(value: unknown): MsgBodyCheck {
  if (!Array.isArray(value)) return { ok: false, code: 90007, reason: 'MsgBody must be an array' }
  if (value.length === 0) return { ok: false, code: 90002, reason: 'MsgBody has no element' }
  let customs = 0
  for (const [i, el] of value.entries()) {
    const at = `MsgBody[${i}]`
    if (!isObject(el)) return { ok: false, code: 90002, reason: `${at} must be an object` }
    const type = el['MsgType']
    if (typeof type !== 'string') return { ok: false, code: 90002, reason: `${at}.MsgType must be a string` }
    const rule = Object.hasOwn(rules, type) ? rules[type] : undefined
    if (rule === undefined) return { ok: false, code: 90002, reason: `${at}.MsgType ${type} is unknown` }
    const content = el['MsgContent']
    if (!isObject(content)) return { ok: false, code: 90002, reason: `${at}.MsgContent must be an object` }
    for (const key of rule.required) {
      if (!Object.hasOwn(content, key))
        return { ok: false, code: 90010, reason: `${at}.MsgContent.${key} is missing` }
    }
    for (const [key, kind] of Object.entries(rule.fields)) {
      if (Object.hasOwn(content, key) && !kindOk(kind, content[key])) {
        return { ok: false, code: 90010, reason: `${at}.MsgContent.${key} has the wrong type or value` }
      }
    }
    if (type === 'TIMCustomElem' && ++customs > 1) {
      return { ok: false, code: 90010, reason: 'a message has at most one TIMCustomElem' }
    }
  }
  return { ok: true, body: value as MsgElement[] }
}
