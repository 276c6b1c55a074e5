import { randomBytes, randomInt } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomAlphanumeric(length: number): string {
  let result = '';
  for (let index = 0; index < length; index++) result += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return result;
}

export const randomHex = (length: number): string => randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length);

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
