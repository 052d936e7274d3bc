/** Name parts for clearly fictitious people, places and companies. */
export const FAMILY_NAMES: readonly (readonly [string, number])[] = [
  ['Nguyễn', 38], ['Trần', 11], ['Lê', 9], ['Phạm', 7], ['Hoàng', 5], ['Huỳnh', 4], ['Phan', 4], ['Vũ', 4], ['Võ', 3],
  ['Đặng', 2], ['Bùi', 2], ['Đỗ', 2], ['Hồ', 2], ['Ngô', 2], ['Dương', 1], ['Lý', 1], ['Đinh', 1], ['Trương', 1], ['Lương', 1],
];
export const MALE_MIDDLE = ['Văn', 'Hữu', 'Đức', 'Minh', 'Quốc', 'Thành', 'Công', 'Xuân', 'Đình', 'Ngọc', 'Gia', 'Anh'];
export const FEMALE_MIDDLE = ['Thị', 'Ngọc', 'Thu', 'Thanh', 'Minh', 'Mai', 'Kim', 'Phương', 'Bảo', 'Hồng', 'Diệu'];
export const MALE_GIVEN = [
  'An', 'Bình', 'Cường', 'Dũng', 'Đạt', 'Hải', 'Hiếu', 'Hùng', 'Huy', 'Khánh', 'Khoa', 'Long', 'Lộc', 'Minh', 'Nam', 'Nghĩa',
  'Phong', 'Phúc', 'Quân', 'Quang', 'Sơn', 'Tài', 'Thắng', 'Thịnh', 'Toàn', 'Trung', 'Tuấn', 'Việt', 'Vinh', 'Hoàng',
];
export const FEMALE_GIVEN = [
  'Anh', 'Chi', 'Dung', 'Giang', 'Hà', 'Hạnh', 'Hằng', 'Hoa', 'Hương', 'Lan', 'Linh', 'Loan', 'Mai', 'My', 'Nga', 'Ngân',
  'Nhung', 'Oanh', 'Phương', 'Quỳnh', 'Thảo', 'Thủy', 'Trang', 'Trâm', 'Uyên', 'Vân', 'Yến', 'Hiền', 'Thư', 'Ngọc',
];
export const STREETS = [
  'Lê Lợi', 'Trần Hưng Đạo', 'Nguyễn Trãi', 'Hai Bà Trưng', 'Lý Thường Kiệt', 'Quang Trung', 'Phan Chu Trinh', 'Hùng Vương',
  'Nguyễn Du', 'Bà Triệu', 'Điện Biên Phủ', 'Lê Duẩn', 'Võ Thị Sáu', 'Ngô Quyền', 'Hoàng Diệu', 'Trần Phú',
];
export const ETHNICITIES: readonly (readonly [string, number])[] = [['Kinh', 90], ['Tày', 3], ['Mường', 3], ['Thái', 2], ['Hoa', 1], ['Khmer', 1]];
export const COMPANY_WORDS = [
  'Hòa An', 'Phát Đạt', 'Minh Long', 'Thành Công', 'Sao Mai', 'Bình Minh', 'Trường Sơn', 'Hưng Thịnh', 'An Khang', 'Việt Tiến',
  'Đông Á', 'Phú Quý', 'Tân Tiến', 'Kim Ngân', 'Hồng Hà', 'Ngọc Lan', 'Thiên Phúc', 'Nam Việt', 'Bắc Sơn', 'Quang Minh',
];
export const COMPANY_TRADES = [
  'Thương mại Dịch vụ', 'Xây dựng', 'Vận tải', 'Nông sản', 'Công nghệ', 'Thực phẩm', 'Du lịch', 'Cơ khí', 'May mặc', 'Dược phẩm',
];
/** VSIC 2018 level-4 codes and names. */
export const VSIC: readonly (readonly [string, string])[] = [
  ['4620', 'Bán buôn nông, lâm sản nguyên liệu (trừ gỗ, tre, nứa) và động vật sống'],
  ['4632', 'Bán buôn thực phẩm'],
  ['4711', 'Bán lẻ lương thực, thực phẩm, đồ uống, thuốc lá, thuốc lào chiếm tỷ trọng lớn trong các cửa hàng kinh doanh tổng hợp'],
  ['4100', 'Xây dựng nhà các loại'],
  ['4933', 'Vận tải hàng hóa bằng đường bộ'],
  ['5510', 'Dịch vụ lưu trú ngắn ngày'],
  ['5610', 'Nhà hàng và các dịch vụ ăn uống phục vụ lưu động'],
  ['6201', 'Lập trình máy vi tính'],
  ['6202', 'Tư vấn máy vi tính và quản trị hệ thống máy vi tính'],
  ['1410', 'May trang phục (trừ trang phục từ da lông thú)'],
  ['2592', 'Gia công cơ khí; xử lý và tráng phủ kim loại'],
  ['4659', 'Bán buôn máy móc, thiết bị và phụ tùng máy khác'],
  ['7911', 'Đại lý du lịch'],
  ['0118', 'Trồng rau, đậu các loại và trồng hoa'],
  ['4772', 'Bán lẻ thuốc, dụng cụ y tế, mỹ phẩm và vật phẩm vệ sinh trong các cửa hàng chuyên doanh'],
];
export const LAND_ORIGINS = [
  'Nhà nước công nhận quyền sử dụng đất', 'Nhận chuyển nhượng đất được công nhận quyền sử dụng đất', 'Nhận thừa kế đất được công nhận quyền sử dụng đất',
  'Nhà nước giao đất có thu tiền sử dụng đất', 'Nhận tặng cho đất được công nhận quyền sử dụng đất', 'Nhà nước cho thuê đất trả tiền hằng năm',
];
export const CERTIFICATE_SERIES = ['BA', 'BĐ', 'CĐ', 'CS', 'DĐ', 'AA'];
export const OFFICERS = [
  'canbo.nguyenvana', 'canbo.tranthib', 'canbo.lequangc', 'canbo.phamthid', 'canbo.hoangvane', 'canbo.vuthif', 'canbo.dangminhg', 'canbo.buithih',
];
