import type { ApolloError } from '@apollo/client';

/** The codes the graph answers with, as a person reads them; the code itself is shown too. */
const MESSAGES: Record<string, string> = {
  UNAUTHENTICATED: 'Bạn chưa đăng nhập, hoặc mã đăng nhập không hợp lệ.',
  FORBIDDEN: 'Bạn không có quyền thực hiện thao tác này.',
  NOT_FOUND: 'Không tìm thấy.',
  BAD_USER_INPUT: 'Thông tin nhập chưa hợp lệ.',
  CONFLICT: 'Hồ sơ đang ở trạng thái không cho phép thao tác này.',
  PERSISTED_OPERATION_NOT_ALLOWED: 'Cổng chỉ chạy các thao tác đã đăng ký.',
  RATE_LIMITED: 'Quá nhiều yêu cầu, vui lòng thử lại sau.',
};

export function errorCode(error: ApolloError): string {
  const graphQLError = error.graphQLErrors[0];
  const fromNetwork = (error.networkError as { result?: { errors?: { extensions?: { code?: string } }[] } } | null)?.result?.errors?.[0];
  return String(graphQLError?.extensions?.code ?? fromNetwork?.extensions?.code ?? 'NETWORK_ERROR');
}

/** A refusal or a failure, typed: `data-error-code` carries the graph's extensions.code. */
export function ErrorNotice({ error }: { error: ApolloError | undefined }) {
  if (!error) return null;
  const code = errorCode(error);
  const detail = error.graphQLErrors[0]?.message ?? error.networkError?.message ?? error.message;
  return (
    <p className="error" role="alert" data-error-code={code}>
      {MESSAGES[code] ?? 'Đã có lỗi xảy ra.'} <code>{code}</code>
      <span className="detail">{detail}</span>
    </p>
  );
}
