import { createHash, randomBytes } from 'node:crypto';

/** A PKCE pair (RFC 7636): the verifier stays with us, the S256 challenge goes in the authorize URL. */
export interface Pkce {
  verifier: string;
  challenge: string;
}

/** 32 random bytes, base64url: 43 characters, inside RFC 7636's 43-128. */
export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: s256(verifier) };
}

/** BASE64URL(SHA256(ASCII(verifier))), the `S256` method. */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** An unguessable `state`, tying the callback to the login that asked for it (CSRF). */
export function createState(): string {
  return randomBytes(16).toString('base64url');
}
