/**
 * Identifiers of the one-stop domain (see shared/domain.md, "Identifiers").
 * Each validator returns a reason instead of throwing, so callers decide how to report it.
 */

export type Validation<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Province codes of the personal identification number (CCCD), as issued before the 2025 merger of provinces. */
export const PERSONAL_NUMBER_PROVINCES: Readonly<Record<string, string>> = {
  '001': 'Hà Nội', '002': 'Hà Giang', '004': 'Cao Bằng', '006': 'Bắc Kạn', '008': 'Tuyên Quang',
  '010': 'Lào Cai', '011': 'Điện Biên', '012': 'Lai Châu', '014': 'Sơn La', '015': 'Yên Bái',
  '017': 'Hòa Bình', '019': 'Thái Nguyên', '020': 'Lạng Sơn', '022': 'Quảng Ninh', '024': 'Bắc Giang',
  '025': 'Phú Thọ', '026': 'Vĩnh Phúc', '027': 'Bắc Ninh', '030': 'Hải Dương', '031': 'Hải Phòng',
  '033': 'Hưng Yên', '034': 'Thái Bình', '035': 'Hà Nam', '036': 'Nam Định', '037': 'Ninh Bình',
  '038': 'Thanh Hóa', '040': 'Nghệ An', '042': 'Hà Tĩnh', '044': 'Quảng Bình', '045': 'Quảng Trị',
  '046': 'Thừa Thiên Huế', '048': 'Đà Nẵng', '049': 'Quảng Nam', '051': 'Quảng Ngãi', '052': 'Bình Định',
  '054': 'Phú Yên', '056': 'Khánh Hòa', '058': 'Ninh Thuận', '060': 'Bình Thuận', '062': 'Kon Tum',
  '064': 'Gia Lai', '066': 'Đắk Lắk', '067': 'Đắk Nông', '068': 'Lâm Đồng', '070': 'Bình Phước',
  '072': 'Tây Ninh', '074': 'Bình Dương', '075': 'Đồng Nai', '077': 'Bà Rịa - Vũng Tàu', '079': 'Hồ Chí Minh',
  '080': 'Long An', '082': 'Tiền Giang', '083': 'Bến Tre', '084': 'Trà Vinh', '086': 'Vĩnh Long',
  '087': 'Đồng Tháp', '089': 'An Giang', '091': 'Kiên Giang', '092': 'Cần Thơ', '093': 'Hậu Giang',
  '094': 'Sóc Trăng', '095': 'Bạc Liêu', '096': 'Cà Mau',
};

export type Sex = 'MALE' | 'FEMALE';

export interface PersonalNumberParts {
  number: string;
  provinceCode: string;
  provinceName: string;
  century: number; // 1900, 2000, ...
  sex: Sex;
  birthYear: number;
}

/** Parses a 12-digit personal number: 3 province, 1 century+sex, 2 year of birth, 6 random. */
export function parsePersonalNumber(input: unknown): Validation<PersonalNumberParts> {
  if (typeof input !== 'string') return { ok: false, reason: 'must be a string of 12 digits' };
  const number = input.trim();
  if (!/^\d{12}$/.test(number)) return { ok: false, reason: 'must be exactly 12 digits' };
  const provinceCode = number.slice(0, 3);
  const provinceName = PERSONAL_NUMBER_PROVINCES[provinceCode];
  if (!provinceName) return { ok: false, reason: `unknown province code ${provinceCode}` };
  const centurySex = Number(number[3]);
  // 0/1 = 1900s, 2/3 = 2000s, 4/5 = 2100s, 6/7 = 2200s, 8/9 = 2300s; even = male.
  const century = 1900 + Math.floor(centurySex / 2) * 100;
  const sex: Sex = centurySex % 2 === 0 ? 'MALE' : 'FEMALE';
  const birthYear = century + Number(number.slice(4, 6));
  return { ok: true, value: { number, provinceCode, provinceName, century, sex, birthYear } };
}

/** Checks a personal number and, when given, its consistency with the holder's birth date and sex. */
export function validatePersonalNumber(
  input: unknown,
  holder?: { birthDate?: string | null; sex?: Sex | null },
): Validation<string> {
  const parsed = parsePersonalNumber(input);
  if (!parsed.ok) return parsed;
  const { number, birthYear, sex } = parsed.value;
  if (holder?.birthDate) {
    const year = Number(String(holder.birthDate).slice(0, 4));
    if (year !== birthYear) {
      return { ok: false, reason: `century/sex and year digits say born ${birthYear}, birth date says ${year}` };
    }
  }
  if (holder?.sex && holder.sex !== sex) {
    return { ok: false, reason: `century/sex digit says ${sex}, holder is ${holder.sex}` };
  }
  return { ok: true, value: number };
}

/** Builds a personal number from its parts (demo data, tests). */
export function makePersonalNumber(provinceCode: string, birthYear: number, sex: Sex, serial: number): string {
  const centuryIndex = Math.floor((birthYear - 1900) / 100);
  const digit = centuryIndex * 2 + (sex === 'FEMALE' ? 1 : 0);
  return `${provinceCode}${digit}${String(birthYear % 100).padStart(2, '0')}${String(serial).padStart(6, '0')}`;
}

const TAX_CODE_WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/** The check digit N10 of an enterprise (tax) code, or null when the first nine digits admit none. */
export function enterpriseCheckDigit(firstNine: string): number | null {
  if (!/^\d{9}$/.test(firstNine)) return null;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * TAX_CODE_WEIGHTS[i];
  const check = 10 - (sum % 11);
  return check === 10 ? null : check;
}

/** Enterprise code = tax code (Decree 01/2021 art. 8): N1..N10, dependent units add -N11N12N13 (001–999). */
export function validateEnterpriseCode(input: unknown): Validation<string> {
  if (typeof input !== 'string') return { ok: false, reason: 'must be a string of 10 digits, optionally -NNN' };
  const code = input.trim();
  const match = /^(\d{10})(?:-(\d{3}))?$/.exec(code);
  if (!match) return { ok: false, reason: 'must be 10 digits, optionally followed by -NNN for a dependent unit' };
  const [, main, branch] = match;
  const check = enterpriseCheckDigit(main.slice(0, 9));
  if (check === null || check !== Number(main[9])) return { ok: false, reason: 'check digit does not match' };
  if (branch === '000') return { ok: false, reason: 'dependent unit suffix must be 001–999' };
  return { ok: true, value: code };
}

/** Builds a valid enterprise code from two province digits and a sequence (demo data, tests). */
export function makeEnterpriseCode(provincePrefix: string, sequence: number): string {
  for (let seq = sequence; ; seq++) {
    const firstNine = `${provincePrefix}${String(seq % 10_000_000).padStart(7, '0')}`;
    const check = enterpriseCheckDigit(firstNine);
    if (check !== null) return `${firstNine}${check}`;
  }
}

/** Dossier code `{unit code}-{yyMMdd}-{NNNN}`; the unit part follows the configured pattern. */
export const DOSSIER_CODE_PATTERN = /^([0-9A-Z.]{3,30})-(\d{6})-(\d{4,6})$/;

export function validateDossierCode(input: unknown): Validation<string> {
  if (typeof input !== 'string') return { ok: false, reason: 'must be a string' };
  const code = input.trim();
  const match = DOSSIER_CODE_PATTERN.exec(code);
  if (!match) return { ok: false, reason: 'must look like {unit code}-{yyMMdd}-{NNNN}, e.g. 000.00.31.H99-251015-0001' };
  const [, , date] = match;
  const month = Number(date.slice(2, 4));
  const day = Number(date.slice(4, 6));
  if (month < 1 || month > 12 || day < 1 || day > 31) return { ok: false, reason: `invalid date part ${date}` };
  return { ok: true, value: code };
}

export function formatDossierCode(unitCode: string, day: Date, sequence: number, digits = 4): string {
  const yy = String(day.getUTCFullYear() % 100).padStart(2, '0');
  const mm = String(day.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(day.getUTCDate()).padStart(2, '0');
  return `${unitCode}-${yy}${mm}${dd}-${String(sequence).padStart(digits, '0')}`;
}

/** Procedure codes carry a unit suffix, e.g. 1.010059.000.00.00.H47. */
export function validateProcedureCode(input: unknown): Validation<string> {
  if (typeof input !== 'string') return { ok: false, reason: 'must be a string' };
  const code = input.trim();
  if (!/^\d\.\d{6}(\.[0-9A-Z]{2,3}){0,4}$/.test(code)) {
    return { ok: false, reason: 'must look like 1.010059 or 1.010059.000.00.00.H47' };
  }
  return { ok: true, value: code };
}

/** A calendar date YYYY-MM-DD that exists (2026-02-30 does not); `notAfter` (YYYY-MM-DD) refuses a later one. */
export function validateIsoDate(input: unknown, notAfter?: string): Validation<string> {
  if (typeof input !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(input)) return { ok: false, reason: 'must be a date YYYY-MM-DD' };
  const [year, month, day] = input.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1800 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { ok: false, reason: `${input} is not a day of the calendar` };
  }
  if (notAfter !== undefined && input > notAfter) return { ok: false, reason: `${input} is in the future (today is ${notAfter})` };
  return { ok: true, value: input };
}

/** Land parcel identity: commune code + map sheet number (số tờ) + parcel number (số thửa). */
export function landParcelId(communeCode: string, mapSheetNumber: number, parcelNumber: number): string {
  return `${communeCode}-${mapSheetNumber}-${parcelNumber}`;
}

export function parseLandParcelId(input: unknown): Validation<{ communeCode: string; mapSheetNumber: number; parcelNumber: number }> {
  if (typeof input !== 'string') return { ok: false, reason: 'must be a string' };
  const match = /^(\d{5})-(\d{1,4})-(\d{1,5})$/.exec(input.trim());
  if (!match) return { ok: false, reason: 'must be {commune code, 5 digits}-{map sheet}-{parcel}, e.g. 26734-12-345' };
  return { ok: true, value: { communeCode: match[1], mapSheetNumber: Number(match[2]), parcelNumber: Number(match[3]) } };
}

