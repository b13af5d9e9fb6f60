import { describe, expect, it } from 'vitest'
import { callbackUrl, sign } from './sign.js'

describe('Sign (spec §7.2)', () => {
  it('matches the vector of a third-party SDK (chenjiacheng/tim CallbackTest)', () => {
    expect(sign('e10adc3949ba59abbe56e057f20f883e', 1676091353)).toBe(
      'a5d271b35bd72858cdf1ad0b9dfbf037d19146062c0ecb712a0a3235489d6021',
    )
  })

  it("matches the example of Tencent's console doc (token xxxxyyyy)", () => {
    expect(sign('xxxxyyyy', 1669872112)).toBe(
      '17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061',
    )
    expect(sign('xxxyyy', 1669872112)).toBe(
      'e78a85473bed2cdc8d6fa8c4d5a4ba4735fd64156e15a99516b9890293e135de',
    )
  })
})

describe('callbackUrl (spec §7.1)', () => {
  const target = {
    url: 'https://www.example.com',
    token: undefined,
    sdkAppId: 888888,
    command: 'Group.CallbackAfterNewMemberJoin' as const,
    clientIp: '127.0.0.1',
    optPlatform: 'RESTAPI',
    nowSeconds: 1669872112,
  }

  it('appends the parameters in the order of the doc example, without Sign when there is no token', () => {
    expect(callbackUrl(target)).toBe(
      'https://www.example.com?SdkAppid=888888&CallbackCommand=Group.CallbackAfterNewMemberJoin' +
        '&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI',
    )
  })

  it('adds Sign and RequestTime with a token, after a query the URL already has', () => {
    const url = callbackUrl({ ...target, url: 'http://h:81/im?k=v', token: 'xxxxyyyy' })
    expect(url).toBe(
      'http://h:81/im?k=v&SdkAppid=888888&CallbackCommand=Group.CallbackAfterNewMemberJoin&contenttype=json' +
        '&ClientIP=127.0.0.1&OptPlatform=RESTAPI' +
        '&Sign=17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061&RequestTime=1669872112',
    )
  })
})
