/** Land-use purpose codes (mục đích sử dụng đất) as written on certificates and cadastral maps. */
export const LAND_USE_PURPOSES: Readonly<Record<string, string>> = {
  ODT: 'Đất ở tại đô thị',
  ONT: 'Đất ở tại nông thôn',
  LUC: 'Đất chuyên trồng lúa nước',
  BHK: 'Đất bằng trồng cây hằng năm khác',
  CLN: 'Đất trồng cây lâu năm',
  NTS: 'Đất nuôi trồng thủy sản',
  RSX: 'Đất rừng sản xuất',
  TMD: 'Đất thương mại, dịch vụ',
  SKC: 'Đất cơ sở sản xuất phi nông nghiệp',
};

export function landUsePurposeName(code: string): string {
  return LAND_USE_PURPOSES[code] ?? code;
}
