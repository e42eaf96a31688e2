/**
 * @module base64 — Python's lenient base64 decoding, for HTTP Basic credentials.
 */

const B64_VALUES = new Int8Array(128).fill(-1)
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) {
  B64_VALUES[c.charCodeAt(0)] = i
}

/**
 * Python's `b64decode(value).decode('ascii')`, or undefined where Python raises: a non-ASCII
 * input, a bad length or padding, or a decoded byte outside ASCII. Characters outside the
 * alphabet are skipped and a complete padding ends the input, as binascii's non-strict mode.
 * @example decodeBase64Ascii('am9objpzZWNyZXQ=') // 'john:secret'
 */
export function decodeBase64Ascii (value: string): string | undefined {
  // b64decode encodes a str argument as ASCII first.
  if (/[\u0080-\uffff]/.test(value)) return undefined
  let out = ''
  let quad = 0
  let left = 0
  let pads = 0
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code === 0x3d) {
      // '=' counts only after two data characters of a quad, and ends the input once it completes one.
      if (quad >= 2 && quad + ++pads >= 4) return out
      continue
    }
    const bits = B64_VALUES[code]
    if (bits < 0) continue
    pads = 0
    let byte: number
    if (quad === 0) {
      quad = 1
      left = bits
      continue
    } else if (quad === 1) {
      quad = 2
      byte = (left << 2) | (bits >> 4)
      left = bits & 0x0f
    } else if (quad === 2) {
      quad = 3
      byte = (left << 4) | (bits >> 2)
      left = bits & 0x03
    } else {
      quad = 0
      byte = (left << 6) | bits
    }
    // .decode('ascii') fails on any byte above 0x7f.
    if (byte > 0x7f) return undefined
    out += String.fromCharCode(byte)
  }
  return quad === 0 ? out : undefined
}
