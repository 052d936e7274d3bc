/** Dates and statuses as people at the counter read them: Vietnam's time, Vietnamese names. */
const DATE_TIME = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' });

export function when(iso: string | null | undefined): string {
  return iso ? DATE_TIME.format(new Date(iso)) : '—';
}

export const STATUS_NAMES: Record<string, string> = {
  DRAFT: 'Mới đăng ký trực tuyến',
  RECEIVED: 'Đã tiếp nhận',
  INTAKE_REJECTED: 'Từ chối tiếp nhận',
  TRANSFERRED: 'Đã chuyển xử lý',
  IN_APPRAISAL: 'Đang thẩm định',
  AWAITING_PARTNER: 'Chờ cơ quan phối hợp',
  APPROVAL: 'Chờ phê duyệt',
  SUPPLEMENT_REQUESTED: 'Yêu cầu bổ sung',
  FINANCIAL_OBLIGATION: 'Chờ thực hiện nghĩa vụ tài chính',
  WITHDRAWN: 'Đã rút hồ sơ',
  STOPPED: 'Dừng xử lý',
  RESOLVED: 'Đã có kết quả',
  RETURNED: 'Đã trả kết quả',
};

export function statusName(status: string): string {
  return STATUS_NAMES[status] ?? status;
}
