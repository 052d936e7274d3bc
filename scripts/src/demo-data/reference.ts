import type { AdministrativeUnit, Agency, Procedure } from '@onestop/single-window';

/**
 * The fictitious province "Tỉnh Hòa An" (statistics code 99, which no real province has): five districts of five
 * communes until 2025-06-30, then twelve merged communes directly under the province (two-level local government).
 */
export const PROVINCE = { code: '99', name: 'Tỉnh Hòa An', suffix: 'H99' };
export const REFORM_DATE = '2025-07-01';

const DISTRICTS: [string, string, string[]][] = [
  ['990', 'Thành phố Hòa An', ['Phường An Bình', 'Phường Tân Định', 'Phường Phú Hòa', 'Phường Hòa Thuận', 'Xã Hòa Khánh']],
  ['991', 'Huyện Đông Sơn', ['Thị trấn Đông Sơn', 'Xã Đông Hưng', 'Xã Đông Lâm', 'Xã Đông Phú', 'Xã Đông Tiến']],
  ['992', 'Huyện Tân Lập', ['Thị trấn Tân Lập', 'Xã Tân Lộc', 'Xã Tân Phước', 'Xã Tân Hòa', 'Xã Tân Mỹ']],
  ['993', 'Huyện Sơn Hà', ['Thị trấn Sơn Hà', 'Xã Sơn Thủy', 'Xã Sơn Trung', 'Xã Sơn Lâm', 'Xã Sơn Bình']],
  ['994', 'Thị xã Phú Mỹ', ['Phường Phú Mỹ', 'Phường Mỹ Xuân', 'Xã Phú Lợi', 'Xã Mỹ Thạnh', 'Xã Phú Thịnh']],
];

/** The twelve units since 2025-07-01 and the old communes merged into each. */
const NEW_COMMUNES: [string, string, number[]][] = [
  ['99501', 'Phường Hòa An', [0, 1]], ['99502', 'Phường Phú Hòa', [2, 3, 4]], ['99503', 'Xã Đông Sơn', [5, 6]],
  ['99504', 'Xã Đông Phú', [7, 8, 9]], ['99505', 'Xã Tân Lập', [10, 11]], ['99506', 'Xã Tân Phước', [12, 13, 14]],
  ['99507', 'Xã Sơn Hà', [15, 16]], ['99508', 'Xã Sơn Lâm', [17, 18, 19]], ['99509', 'Phường Phú Mỹ', [20, 21]],
  ['99510', 'Xã Phú Lợi', [22]], ['99511', 'Xã Mỹ Thạnh', [23]], ['99512', 'Xã Phú Thịnh', [24]],
];

export interface Reference {
  units: Partial<AdministrativeUnit>[];
  oldCommunes: { code: string; name: string; district: string }[];
  newCommunes: { code: string; name: string }[];
  agencies: Partial<Agency>[];
  procedures: Partial<Procedure>[];
}

export const CENTER = `000.00.00.${PROVINCE.suffix}`;
export const LAND_OFFICE = `H99.DD.00`;
export const TAX_OFFICE = `H99.THUE.00`;
export const BUSINESS_OFFICE = `H99.DKKD.00`;
export const JUSTICE_DEPARTMENT = `H99.HT.00`;

export const newCommuneDesk = (code: string) => `000.00.${code.slice(3)}.${PROVINCE.suffix}`;
export const oldDistrictDesk = (district: string) => `000.${district.slice(1)}.00.${PROVINCE.suffix}`;
export const oldCommuneDesk = (code: string) => `000.${code.slice(1, 3)}.${code.slice(3)}.${PROVINCE.suffix}`;
export const civilStatusSection = (communeCode: string) => `H99.HT.${communeCode}`;
export const districtLandBranch = (district: string) => `H99.DD.${district}`;
export const districtTaxOffice = (district: string) => `H99.THUE.${district}`;

export function buildReference(): Reference {
  const units: Partial<AdministrativeUnit>[] = [
    { code: PROVINCE.code, name: PROVINCE.name, level: 'PROVINCE' as never, parentCode: null, validFrom: '2008-01-01', validTo: null, successorCode: null },
  ];
  const oldCommunes: Reference['oldCommunes'] = [];
  DISTRICTS.forEach(([district, name, communes], d) => {
    units.push({ code: district, name, level: 'DISTRICT' as never, parentCode: PROVINCE.code, validFrom: '2008-01-01', validTo: REFORM_DATE, successorCode: null });
    communes.forEach((communeName, c) => {
      const code = `99${String(d)}${String(c + 1).padStart(2, '0')}`;
      oldCommunes.push({ code, name: communeName, district });
    });
  });
  const successorOf = new Map<number, string>();
  NEW_COMMUNES.forEach(([code, , olds]) => olds.forEach((i) => successorOf.set(i, code)));
  oldCommunes.forEach((commune, i) =>
    units.push({
      code: commune.code, name: commune.name, level: 'COMMUNE' as never, parentCode: commune.district,
      validFrom: '2008-01-01', validTo: REFORM_DATE, successorCode: successorOf.get(i) ?? null,
    }),
  );
  const newCommunes = NEW_COMMUNES.map(([code, name]) => ({ code, name }));
  for (const commune of newCommunes) {
    units.push({ code: commune.code, name: commune.name, level: 'COMMUNE' as never, parentCode: PROVINCE.code, validFrom: REFORM_DATE, validTo: null, successorCode: null });
  }

  const agency = (code: string, name: string, sector: string, level: string, unit: string, receives = false): Partial<Agency> => ({
    code, name, sector: sector as never, level: level as never, administrativeUnitCode: unit, receivesDossiers: receives,
  });
  const agencies: Partial<Agency>[] = [
    agency(CENTER, 'Trung tâm Phục vụ hành chính công tỉnh Hòa An', 'SERVICE_CENTER', 'PROVINCE', PROVINCE.code, true),
    agency(LAND_OFFICE, 'Văn phòng Đăng ký đất đai tỉnh Hòa An', 'LAND', 'PROVINCE', PROVINCE.code),
    agency(TAX_OFFICE, 'Thuế tỉnh Hòa An', 'TAX', 'PROVINCE', PROVINCE.code),
    agency(BUSINESS_OFFICE, 'Phòng Đăng ký kinh doanh – Sở Tài chính tỉnh Hòa An', 'BUSINESS_REGISTRATION', 'PROVINCE', PROVINCE.code),
    agency(JUSTICE_DEPARTMENT, 'Sở Tư pháp tỉnh Hòa An', 'CIVIL_STATUS', 'PROVINCE', PROVINCE.code),
    agency('H99.CA.00', 'Công an tỉnh Hòa An', 'POLICE', 'PROVINCE', PROVINCE.code),
    agency('H99.BHXH.00', 'Bảo hiểm xã hội tỉnh Hòa An', 'SOCIAL_INSURANCE', 'PROVINCE', PROVINCE.code),
  ];
  for (const [district, name] of DISTRICTS) {
    agencies.push(agency(oldDistrictDesk(district), `Bộ phận một cửa ${name}`, 'SERVICE_CENTER', 'DISTRICT', district, true));
    agencies.push(agency(districtLandBranch(district), `Chi nhánh Văn phòng Đăng ký đất đai ${name}`, 'LAND', 'DISTRICT', district));
    agencies.push(agency(districtTaxOffice(district), `Thuế cơ sở ${name}`, 'TAX', 'DISTRICT', district));
  }
  for (const commune of oldCommunes) {
    agencies.push(agency(oldCommuneDesk(commune.code), `Bộ phận một cửa ${commune.name}`, 'SERVICE_CENTER', 'COMMUNE', commune.code, true));
    agencies.push(agency(civilStatusSection(commune.code), `Công chức Tư pháp – Hộ tịch ${commune.name}`, 'CIVIL_STATUS', 'COMMUNE', commune.code));
  }
  for (const commune of newCommunes) {
    agencies.push(agency(newCommuneDesk(commune.code), `Trung tâm Phục vụ hành chính công ${commune.name}`, 'SERVICE_CENTER', 'COMMUNE', commune.code, true));
    agencies.push(agency(civilStatusSection(commune.code), `Phòng Văn hóa – Xã hội ${commune.name} (hộ tịch)`, 'CIVIL_STATUS', 'COMMUNE', commune.code));
  }

  return { units, oldCommunes, newCommunes, agencies, procedures: PROCEDURES.map(toProcedure) };
}

type ProcedureRow = [string, string, string, string, string, number, number, string, string];

/**
 * A catalogue in the national database's shape (code, name, field, level, time, fee, online level, result form).
 * Names are real procedure names; the codes carry the fictitious province's suffix H99 and are not the national codes.
 */
const PROCEDURES: ProcedureRow[] = [
  ['1.001193', 'Đăng ký khai sinh', 'Hộ tịch', 'CIVIL_STATUS', 'COMMUNE', 0.5, 0, 'FULL', 'PAPER_AND_ELECTRONIC'],
  ['1.000894', 'Đăng ký kết hôn', 'Hộ tịch', 'CIVIL_STATUS', 'COMMUNE', 1, 0, 'PARTIAL', 'PAPER'],
  ['1.000656', 'Đăng ký khai tử', 'Hộ tịch', 'CIVIL_STATUS', 'COMMUNE', 0.5, 0, 'FULL', 'PAPER_AND_ELECTRONIC'],
  ['1.004884', 'Đăng ký nhận cha, mẹ, con', 'Hộ tịch', 'CIVIL_STATUS', 'COMMUNE', 3, 15000, 'PARTIAL', 'PAPER'],
  ['2.000635', 'Cấp bản sao trích lục hộ tịch', 'Hộ tịch', 'CIVIL_STATUS', 'COMMUNE', 0.5, 8000, 'FULL', 'ELECTRONIC'],
  ['1.001022', 'Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch', 'Hộ tịch', 'CIVIL_STATUS', 'COMMUNE', 3, 15000, 'PARTIAL', 'PAPER'],
  ['1.004873', 'Cấp Giấy xác nhận tình trạng hôn nhân', 'Hộ tịch', 'CIVIL_STATUS', 'COMMUNE', 3, 15000, 'FULL', 'PAPER_AND_ELECTRONIC'],
  ['1.004227', 'Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do chuyển nhượng, tặng cho, thừa kế', 'Đất đai', 'LAND', 'PROVINCE', 10, 100000, 'PARTIAL', 'PAPER'],
  ['1.004221', 'Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận lần đầu', 'Đất đai', 'LAND', 'PROVINCE', 20, 100000, 'PARTIAL', 'PAPER'],
  ['1.003003', 'Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất', 'Đăng ký biện pháp bảo đảm', 'LAND', 'PROVINCE', 3, 80000, 'FULL', 'PAPER_AND_ELECTRONIC'],
  ['1.004199', 'Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất', 'Đất đai', 'LAND', 'PROVINCE', 7, 50000, 'PARTIAL', 'PAPER'],
  ['1.004203', 'Đính chính Giấy chứng nhận đã cấp', 'Đất đai', 'LAND', 'PROVINCE', 10, 0, 'NONE', 'PAPER'],
  ['1.001612', 'Đăng ký thành lập doanh nghiệp tư nhân', 'Thành lập và hoạt động của doanh nghiệp', 'BUSINESS_REGISTRATION', 'PROVINCE', 3, 50000, 'FULL', 'ELECTRONIC'],
  ['2.001610', 'Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên', 'Thành lập và hoạt động của doanh nghiệp', 'BUSINESS_REGISTRATION', 'PROVINCE', 3, 50000, 'FULL', 'ELECTRONIC'],
  ['2.002035', 'Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên', 'Thành lập và hoạt động của doanh nghiệp', 'BUSINESS_REGISTRATION', 'PROVINCE', 3, 50000, 'FULL', 'ELECTRONIC'],
  ['1.005385', 'Đăng ký thành lập công ty cổ phần', 'Thành lập và hoạt động của doanh nghiệp', 'BUSINESS_REGISTRATION', 'PROVINCE', 3, 50000, 'FULL', 'ELECTRONIC'],
  ['2.001199', 'Đăng ký thay đổi nội dung đăng ký doanh nghiệp', 'Thành lập và hoạt động của doanh nghiệp', 'BUSINESS_REGISTRATION', 'PROVINCE', 3, 50000, 'FULL', 'ELECTRONIC'],
  ['1.010003', 'Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo', 'Thành lập và hoạt động của doanh nghiệp', 'BUSINESS_REGISTRATION', 'PROVINCE', 3, 0, 'FULL', 'ELECTRONIC'],
  ['2.000575', 'Đăng ký hoạt động chi nhánh, văn phòng đại diện, địa điểm kinh doanh', 'Thành lập và hoạt động của doanh nghiệp', 'BUSINESS_REGISTRATION', 'PROVINCE', 3, 50000, 'FULL', 'ELECTRONIC'],
  ['1.010025', 'Giải thể doanh nghiệp', 'Thành lập và hoạt động của doanh nghiệp', 'BUSINESS_REGISTRATION', 'PROVINCE', 5, 0, 'PARTIAL', 'ELECTRONIC'],
  ['1.007720', 'Đăng ký thuế lần đầu đối với hộ kinh doanh, cá nhân kinh doanh', 'Quản lý thuế', 'TAX', 'PROVINCE', 3, 0, 'FULL', 'ELECTRONIC'],
  ['1.010936', 'Khai lệ phí trước bạ nhà, đất', 'Quản lý thuế', 'TAX', 'PROVINCE', 3, 0, 'PARTIAL', 'PAPER_AND_ELECTRONIC'],
  ['1.009855', 'Miễn, giảm tiền sử dụng đất', 'Quản lý thuế', 'TAX', 'PROVINCE', 15, 0, 'NONE', 'PAPER'],
  ['1.007767', 'Đăng ký thay đổi thông tin đăng ký thuế', 'Quản lý thuế', 'TAX', 'PROVINCE', 2, 0, 'FULL', 'ELECTRONIC'],
];

type Paper = [kind: string, name: string, mandatory: boolean];

/** Thành phần hồ sơ of some procedures, as the catalogue lists them (the others list none yet). */
export const REQUIRED_PAPERS: Record<string, Paper[]> = {
  '1.001193': [['BIRTH_DECLARATION', 'Tờ khai đăng ký khai sinh', true], ['BIRTH_CERTIFICATE', 'Giấy chứng sinh', true]],
  '1.000894': [['MARRIAGE_DECLARATION', 'Tờ khai đăng ký kết hôn', true], ['MARITAL_STATUS_CONFIRMATION', 'Giấy xác nhận tình trạng hôn nhân', false]],
  '1.000656': [['DEATH_DECLARATION', 'Tờ khai đăng ký khai tử', true], ['DEATH_NOTICE', 'Giấy báo tử hoặc giấy tờ thay thế giấy báo tử', true]],
  '1.004227': [
    ['LAND_CHANGE_APPLICATION', 'Đơn đăng ký biến động đất đai, tài sản gắn liền với đất', true],
    ['TRANSFER_CONTRACT', 'Hợp đồng, văn bản về chuyển nhượng, tặng cho, thừa kế quyền sử dụng đất', true],
    ['LAND_USE_CERTIFICATE', 'Bản gốc Giấy chứng nhận đã cấp', true],
    ['TAX_DECLARATION', 'Tờ khai thuế thu nhập cá nhân, tờ khai lệ phí trước bạ', false],
  ],
  '1.001612': [['ENTERPRISE_REGISTRATION_FORM', 'Giấy đề nghị đăng ký doanh nghiệp', true], ['OWNER_IDENTITY', 'Bản sao giấy tờ pháp lý của chủ doanh nghiệp', true]],
};

function toProcedure([code, name, fieldName, sector, level, days, fee, online, result]: ProcedureRow): Partial<Procedure> {
  const papers = REQUIRED_PAPERS[code];
  return {
    code: `${code}.000.00.00.${PROVINCE.suffix}`, name, fieldName, handlingSector: sector as never, level: level as never,
    processingDays: days, feeAmount: fee, onlineService: online as never, resultForm: result as never, active: true,
    requiredPapers: papers ? JSON.stringify(papers.map(([kind, paperName, mandatory]) => ({ kind, name: paperName, mandatory }))) : null,
  };
}

export const procedureCode = (short: string) => `${short}.000.00.00.${PROVINCE.suffix}`;
