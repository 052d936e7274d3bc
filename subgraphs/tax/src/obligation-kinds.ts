/** Kinds of financial obligation (nghĩa vụ tài chính) and their names on notices. */
export const OBLIGATION_KIND_NAMES: Readonly<Record<string, string>> = {
  LAND_USE_FEE: 'Tiền sử dụng đất',
  REGISTRATION_FEE: 'Lệ phí trước bạ',
  PERSONAL_INCOME_TAX: 'Thuế thu nhập cá nhân',
  LAND_RENT: 'Tiền thuê đất',
  NON_AGRICULTURAL_LAND_TAX: 'Thuế sử dụng đất phi nông nghiệp',
  BUSINESS_LICENSE_FEE: 'Lệ phí môn bài',
};
