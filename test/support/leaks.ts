/** The forms a leaked secret could take in text: as is, base64 (padded or not), hex. */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [secret, bytes.toString('base64'), bytes.toString('base64').replace(/=+$/, ''), bytes.toString('hex'), bytes.toString('base64url')];
}

/** The secrets (in any form) that appear in the text; empty when none leaked. */
export function findLeaks(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((secret) => secretForms(secret).some((form) => text.includes(form)));
}
