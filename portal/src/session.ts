/** The signed-in caller, read from a development token (`npm run token -- …`); the gateway verifies it, not the page. */
export interface Session {
  token: string;
  role: string;
  subject: string;
  agency?: string;
  sector?: string;
  name?: string;
  expiresAt?: number;
}

const KEY = 'onestop.portal.token';

function base64UrlJson(part: string): Record<string, unknown> {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

/** The claims of a token, or a reason it cannot be one (its signature is the gateway's to check). */
export function readToken(raw: string): Session | string {
  const token = raw.trim().replace(/^Bearer\s+/i, '');
  const parts = token.split('.');
  if (parts.length !== 3) return 'Mã không phải là một JWT (ba phần ngăn bởi dấu chấm)';
  let claims: Record<string, unknown>;
  try {
    claims = base64UrlJson(parts[1]);
  } catch {
    return 'Không đọc được nội dung của mã';
  }
  if (typeof claims.role !== 'string' || typeof claims.sub !== 'string') return 'Mã thiếu vai trò (role) hoặc chủ thể (sub)';
  const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  if (expiresAt !== undefined && expiresAt <= Date.now()) return 'Mã đã hết hạn';
  const text = (name: string) => (typeof claims[name] === 'string' ? (claims[name] as string) : undefined);
  return { token, role: claims.role, subject: claims.sub, agency: text('agency'), sector: text('sector'), name: text('name'), expiresAt };
}

/** Kept for this tab only (sessionStorage): closing it signs out. */
export function storedSession(): Session | null {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  const session = readToken(raw);
  if (typeof session === 'string') {
    sessionStorage.removeItem(KEY);
    return null;
  }
  return session;
}

export function storeSession(session: Session | null): void {
  if (session) sessionStorage.setItem(KEY, session.token);
  else sessionStorage.removeItem(KEY);
}
