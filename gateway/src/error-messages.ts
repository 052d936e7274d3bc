import type http from 'node:http';
import type { GraphQLFormattedError } from 'graphql';

export type Language = 'vi' | 'en';

/**
 * The language of error messages for a request: Vietnamese unless `Accept-Language` prefers English (its highest-q
 * tag of the two is en or en-*). Anything else (no header, fr, *) gets Vietnamese.
 */
export function languageOf(acceptLanguage: string | undefined): Language {
  let best: { language: Language; q: number } | undefined;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [tag, ...parameters] = part.trim().toLowerCase().split(';');
    const language = tag === 'en' || tag.startsWith('en-') ? 'en' : tag === 'vi' || tag.startsWith('vi-') ? 'vi' : undefined;
    if (!language) continue;
    const qParameter = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParameter ? Number(qParameter.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { language, q };
  }
  return best?.language ?? 'vi';
}

type Extensions = Record<string, unknown>;
const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');
const system = (e: Extensions) => (e.subgraph ? `Hệ thống ${text(e.subgraph)}` : 'Hệ thống');

/** The limits of useOperationLimits, as people read them. */
const LIMITS: Record<string, string> = { depth: 'độ sâu', aliases: 'số bí danh (alias)', rootFields: 'số trường gốc', cost: 'chi phí' };

/**
 * Vietnamese messages by error code (the codes clients branch on: platform's PUBLIC_ERROR_CODES and the gateway's own).
 * A template reads the error's extensions for its details, or keeps the English detail in brackets where no extension
 * carries it (why a token or a request was refused); `Accept-Language: en` gets the English messages, and the code
 * never changes.
 */
export const VIETNAMESE: Record<string, (extensions: Extensions, message: string) => string> = {
  BAD_USER_INPUT: (e) => (e.field ? `Dữ liệu không hợp lệ ở trường ${text(e.field)}: ${text(e.reason)}` : 'Dữ liệu đầu vào không hợp lệ'),
  NOT_FOUND: (e) => (e.type ? `Không tìm thấy ${text(e.type)} ${text(e.key)}`.trim() : 'Không tìm thấy dữ liệu được yêu cầu'),
  CONFLICT: () => 'Thao tác xung đột với trạng thái hiện tại của dữ liệu; vui lòng tải lại và thử lại',
  FORBIDDEN: (_e, message) => `Bạn không có quyền thực hiện thao tác này hoặc xem dữ liệu này (${message})`,
  UNAUTHENTICATED: (_e, message) => `Chưa đăng nhập, hoặc mã truy cập (token) không được chấp nhận: vui lòng đăng nhập lại (${message})`,
  GRAPHQL_PARSE_FAILED: (_e, message) => `Câu truy vấn GraphQL sai cú pháp (${message})`,
  GRAPHQL_VALIDATION_FAILED: (_e, message) => `Câu truy vấn không phù hợp với lược đồ (${message})`,
  PERSISTED_QUERY_NOT_FOUND: () => 'Không tìm thấy câu truy vấn đã lưu theo mã băm này: hãy gửi kèm nội dung câu truy vấn',
  PERSISTED_QUERY_NOT_SUPPORTED: () => 'Máy chủ không hỗ trợ câu truy vấn lưu sẵn theo mã băm',
  OPERATION_RESOLUTION_FAILURE: () => 'Không xác định được thao tác cần chạy: hãy ghi rõ operationName',
  BAD_REQUEST: (_e, message) => `Yêu cầu không hợp lệ (${message})`,
  SUBGRAPH_TIMEOUT: (e) => `${system(e)} không trả lời kịp thời; vui lòng thử lại sau`,
  SUBGRAPH_UNAVAILABLE: (e) => `${system(e)} tạm thời không truy cập được; vui lòng thử lại sau`,
  SUBGRAPH_ERROR: (e) => `${system(e)} không xử lý được yêu cầu này`,
  PAYLOAD_TOO_LARGE: (e) => (e.maxBytes !== undefined
    ? `Tệp vượt quá dung lượng cho phép (${text(e.maxBytes)} byte)` : 'Tệp vượt quá dung lượng cho phép'),
  UNSUPPORTED_MEDIA_TYPE: () => 'Định dạng tệp không được chấp nhận: chỉ nhận PDF, JPEG hoặc PNG',
  OPERATION_LIMIT_EXCEEDED: (e) => (e.limit
    ? `Câu truy vấn vượt giới hạn ${LIMITS[text(e.limit)] ?? text(e.limit)}: ${text(e.actual)}, tối đa ${text(e.max)}`
    : 'Câu truy vấn vượt giới hạn cho phép'),
  RATE_LIMITED: (e) => (e.retryAfterSeconds !== undefined
    ? `Quá nhiều yêu cầu: vui lòng thử lại sau ${text(e.retryAfterSeconds)} giây`
    : 'Quá nhiều yêu cầu: vui lòng thử lại sau'),
  INTROSPECTION_DISABLED: () => 'Máy chủ này không cho phép tra cứu lược đồ (introspection) với người gọi này',
  PERSISTED_OPERATION_NOT_ALLOWED: () => 'Máy chủ này chỉ chạy các thao tác đã đăng ký',
  FORBIDDEN_ORIGIN: () => 'Trang web này không được phép gọi hệ thống',
  INTERNAL_SERVER_ERROR: () => 'Lỗi hệ thống; vui lòng thử lại sau',
};

/** The errors in the caller's language: messages translated by code, everything else (code, path, extensions) kept. */
export function translateErrors(errors: readonly GraphQLFormattedError[], language: Language): GraphQLFormattedError[] {
  if (language === 'en') return [...errors];
  return errors.map((error) => {
    const extensions = (error.extensions ?? {}) as Extensions;
    const template = VIETNAMESE[text(extensions.code)];
    return template ? { ...error, message: template(extensions, error.message) } : error;
  });
}

/** For createHttpServer's `localizeErrors`: by the request's Accept-Language. */
export function localizeErrors(errors: readonly GraphQLFormattedError[], req: http.IncomingMessage): GraphQLFormattedError[] {
  return translateErrors(errors, languageOf(req.headers['accept-language']));
}
