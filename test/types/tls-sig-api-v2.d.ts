// Types for Tencent's official UserSig generator, which ships none.
declare module 'tls-sig-api-v2' {
  export class Api {
    constructor(sdkappid: number, key: string)
    genUserSig(userid: string, expire: number): string
    genSig(userid: string, expire: number, userBuf: Buffer | null): string
  }
}
