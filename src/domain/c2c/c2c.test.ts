import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { UserId } from '../accounts/user-id.js'
import { checkMsgBody } from './msg-body.js'
import { formatMsgKey, parseMsgKey, UINT32_MAX } from './msg-key.js'
import {
  conversationKey,
  importOrigin,
  notUnreadReasons,
  requestedReadTime,
  unreadExclusion,
} from './rules.js'

describe('MsgKey', () => {
  it('parses what it formats, for every 32-bit part', () => {
    const part = fc.integer({ min: 0, max: UINT32_MAX })
    fc.assert(
      fc.property(part, part, part, (msgSeq, msgRandom, msgTime) => {
        const key = formatMsgKey({ msgSeq, msgRandom, msgTime })
        expect(parseMsgKey(key)).toEqual({ msgSeq, msgRandom, msgTime, msgKey: key })
      }),
    )
  })

  it.each(['', '1_2', '1_2_3_4', 'a_2_3', '01_2_3', '1_2_4294967296', '-1_2_3', '1 _2_3'])(
    'refuses %j',
    (text) => expect(parseMsgKey(text)).toBeUndefined(),
  )
})

describe('read and unread rules', () => {
  const [a, b] = ['a' as UserId, 'b' as UserId]
  it('reads up to now when MsgReadTime is absent or in the future (decision 5)', () => {
    expect(requestedReadTime(undefined, 100)).toBe(100)
    expect(requestedReadTime(101, 100)).toBe(100)
    expect(requestedReadTime(99, 100)).toBe(99)
  })

  it('counts only messages to someone else without NoUnread, online-only or history import (decision 6)', () => {
    const base = { from: a, to: b, origin: 'send' as const, noUnread: false, onlineOnly: false }
    expect(unreadExclusion(base)).toBeUndefined()
    expect(unreadExclusion({ ...base, noUnread: true })).toBe('no-unread')
    expect(unreadExclusion({ ...base, onlineOnly: true })).toBe('online-only')
    expect(unreadExclusion({ ...base, origin: 'import-history' })).toBe('import-history')
    expect(unreadExclusion({ ...base, origin: 'import-realtime' })).toBeUndefined()
    expect(unreadExclusion({ ...base, to: a })).toBe('self')
  })

  it("explains why a stored message is not part of a reader's unread count", () => {
    const m = { from: b, to: a, counted: true, uncounted: undefined, recalled: false, msgTime: 100 }
    expect(notUnreadReasons(m, a, 99)).toEqual([])
    expect(notUnreadReasons(m, a, 100)).toEqual(['before-read-time'])
    expect(notUnreadReasons(m, b, 0)).toEqual(['own'])
    expect(notUnreadReasons({ ...m, recalled: true }, a, 0)).toEqual(['recalled'])
    expect(notUnreadReasons({ ...m, counted: false, uncounted: 'no-unread' }, a, 0)).toEqual(['no-unread'])
    expect(
      notUnreadReasons({ ...m, counted: false, uncounted: 'import-history', recalled: true }, a, 200),
    ).toEqual(['import-history', 'recalled', 'before-read-time'])
    expect(notUnreadReasons({ ...m, counted: false }, a, 0)).toEqual(['not-counted'])
  })

  it('maps SyncFromOldSystem 1, 2 and 5 and nothing else', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(importOrigin)).toEqual([
      undefined,
      'import-realtime',
      'import-history',
      undefined,
      undefined,
      'import-realtime',
      undefined,
    ])
  })

  it('gives both sides of a conversation one ordering key', () => {
    expect(conversationKey(a, b)).toBe(conversationKey(b, a))
  })
})

describe('MsgBody', () => {
  it('accepts every element type of spec §4.1', () => {
    const body = [
      { MsgType: 'TIMTextElem', MsgContent: { Text: 'hi 😀' } },
      { MsgType: 'TIMLocationElem', MsgContent: { Desc: 'here', Latitude: 22.5, Longitude: 113.9 } },
      { MsgType: 'TIMFaceElem', MsgContent: { Index: 1, Data: 'content' } },
      { MsgType: 'TIMCustomElem', MsgContent: { Data: 'd', Desc: 'x', Ext: 'e', Sound: 'dingdong.aiff' } },
      { MsgType: 'TIMSoundElem', MsgContent: { Url: 'u', UUID: 'id', Size: 1, Second: 2, Download_Flag: 2 } },
      {
        MsgType: 'TIMImageElem',
        MsgContent: {
          UUID: 'id',
          ImageFormat: 1,
          ImageInfoArray: [{ Type: 1, Size: 1, Width: 1, Height: 1, URL: 'u' }],
        },
      },
      {
        MsgType: 'TIMFileElem',
        MsgContent: { Url: 'u', UUID: 'id', FileSize: 1, fileName: 'f', Download_Flag: 2 },
      },
      {
        MsgType: 'TIMVideoFileElem',
        MsgContent: { VideoUrl: 'u', VideoUUID: 'id', VideoSize: 1, VideoSecond: 1, VideoFormat: 'mp4' },
      },
      { MsgType: 'TIMRelayElem', MsgContent: { Title: 't', MsgNum: 1, CompatibleText: 'c', MsgList: [] } },
    ]
    expect(checkMsgBody(body)).toEqual({ ok: true, body })
  })

  it.each([
    [{}, 90007],
    [[], 90002],
    [[null], 90002],
    [[{ MsgType: 'toString', MsgContent: {} }], 90002],
    [[{ MsgType: 'TIMTextElem', MsgContent: [] }], 90002],
    [[{ MsgType: 'TIMFaceElem', MsgContent: { Data: 'd' } }], 90010],
    [[{ MsgType: 'TIMLocationElem', MsgContent: { Latitude: 'n', Longitude: 1 } }], 90010],
    [[{ MsgType: 'TIMImageElem', MsgContent: { ImageInfoArray: {} } }], 90010],
    [[{ MsgType: 'TIMVideoFileElem', MsgContent: { ThumbDownloadFlag: 1 } }], 90010],
  ])('answers the code for %j', (body, code) => {
    expect(checkMsgBody(body)).toMatchObject({ ok: false, code })
  })
})
