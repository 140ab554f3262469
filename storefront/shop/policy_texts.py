"""The policy pages' starting texts, in Vietnamese, shown until the office writes its own.

They are templates for the office to review with its legal adviser (each says so at the top),
written for a provincial OCOP shop: several producers ship their own parcels, payment by VietQR
transfer, cash on delivery, cash at a showroom or card."""

from __future__ import annotations

REVIEW_NOTE = (
    "> **Mẫu — cần rà soát.** Văn bản mẫu: cơ quan vận hành cần rà soát và sửa cho đúng"
    " trước khi dùng chính thức.\n\n"
)

DELIVERY = """# Chính sách giao hàng

## Phạm vi giao hàng
Chúng tôi giao hàng trên toàn quốc qua đơn vị vận chuyển, hoặc khách nhận tại một điểm giới thiệu
và bán sản phẩm OCOP (khi điểm bán còn hàng).

## Thời gian giao hàng
- Trong tỉnh: thường 1–3 ngày làm việc kể từ khi đơn được xác nhận.
- Ngoài tỉnh: thường 3–7 ngày làm việc.
- Mỗi chủ thể OCOP đóng gói và gửi phần hàng của mình, nên một đơn có thể đến thành nhiều kiện.

## Phí giao hàng
Phí giao hàng được tính theo từng kiện của mỗi chủ thể và hiện rõ ở bước thanh toán, trước khi
khách đặt hàng. Nhận tại điểm bán không mất phí.

## Kiểm tra khi nhận hàng
Khách được kiểm tra tình trạng bên ngoài của kiện hàng trước khi nhận. Nếu kiện hàng bị móp, rách,
ướt hoặc có dấu hiệu đã mở, vui lòng từ chối nhận và báo cho chúng tôi.
"""

RETURNS = """# Chính sách đổi trả và hoàn tiền

## Trường hợp được đổi trả
- Sản phẩm bị lỗi, hư hỏng, hết hạn sử dụng hoặc không đúng với đơn đặt hàng.
- Khách báo trong vòng **7 ngày** kể từ khi nhận hàng, kèm ảnh sản phẩm và mã đơn hàng.

## Trường hợp không áp dụng
- Thực phẩm đã mở bao bì hoặc đã sử dụng, trừ khi sản phẩm có lỗi.
- Sản phẩm hư hỏng do bảo quản không đúng hướng dẫn sau khi nhận.

## Cách hoàn tiền
- Hoàn tiền trong vòng 7 ngày làm việc kể từ khi chúng tôi xác nhận yêu cầu.
- Tiền được hoàn theo cách khách đã thanh toán: chuyển khoản về tài khoản của khách, hoàn vào thẻ,
  hoặc tiền mặt tại điểm bán.
- Phí gửi trả hàng do chúng tôi chịu khi sản phẩm có lỗi.
"""

PAYMENT = """# Chính sách thanh toán

Khách có thể thanh toán bằng:

1. **Chuyển khoản VietQR**: quét mã QR trên trang đơn hàng bằng ứng dụng ngân hàng; nội dung chuyển
   khoản là mã đơn hàng. Đơn chưa thanh toán được giữ hàng trong thời gian ghi trên trang đơn hàng.
2. **Tiền mặt khi nhận hàng (COD)**.
3. **Tiền mặt tại điểm bán** khi nhận hàng tại điểm giới thiệu và bán sản phẩm OCOP.
4. **Thẻ** qua cổng thanh toán Stripe (khi được bật); chúng tôi không lưu số thẻ.

Giá niêm yết bằng đồng Việt Nam (₫). Tổng tiền, gồm phí giao hàng, hiện rõ trước khi đặt hàng.
Hoá đơn được xuất theo yêu cầu của khách.
"""

PRIVACY = """# Chính sách bảo vệ dữ liệu cá nhân

Chính sách này được lập theo Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân.

## Dữ liệu chúng tôi thu thập
- Họ tên, số điện thoại, địa chỉ thư điện tử, địa chỉ giao hàng.
- Thông tin đơn hàng và thanh toán (không gồm số thẻ: thẻ được xử lý tại cổng thanh toán).
- Thông tin kỹ thuật cần thiết: cookie phiên đăng nhập, ngôn ngữ đã chọn, giỏ hàng.

## Mục đích xử lý
Xử lý và giao đơn hàng, liên hệ về đơn hàng, chăm sóc khách hàng, đáp ứng nghĩa vụ kế toán và thuế.
Chúng tôi không dùng dữ liệu để quảng cáo khi chưa có sự đồng ý của khách.

## Chia sẻ dữ liệu
Chỉ chia sẻ phần cần thiết với: chủ thể OCOP bán sản phẩm trong đơn, đơn vị vận chuyển, ngân hàng và
cổng thanh toán, cơ quan nhà nước khi pháp luật yêu cầu. Chúng tôi không bán dữ liệu cá nhân.

## Thời gian lưu trữ
Dữ liệu đơn hàng được lưu theo thời hạn pháp luật về kế toán; dữ liệu tài khoản được lưu đến khi
khách yêu cầu xoá.

## Quyền của chủ thể dữ liệu
Khách có quyền được biết, đồng ý hoặc rút lại sự đồng ý, truy cập, chỉnh sửa, xoá, hạn chế xử lý,
phản đối xử lý dữ liệu của mình, khiếu nại và yêu cầu bồi thường theo quy định. Gửi yêu cầu qua thư
điện tử hoặc số điện thoại ở chân trang; chúng tôi trả lời trong thời hạn luật định.

## Bảo vệ dữ liệu
Kết nối được mã hoá (HTTPS), mật khẩu được băm, quyền truy cập dữ liệu được giới hạn theo vai trò.
Khi xảy ra vi phạm dữ liệu, chúng tôi thông báo cho cơ quan có thẩm quyền và khách bị ảnh hưởng theo
quy định.
"""

TERMS = """# Điều khoản sử dụng

1. Trang này là cửa hàng trực tuyến của chương trình OCOP tỉnh, bán sản phẩm đã được công nhận
   3–5 sao của các chủ thể OCOP trong tỉnh.
2. Số sao và giấy chứng nhận của từng sản phẩm kiểm tra được bằng mã QR trên nhãn.
3. Đơn hàng được xác nhận khi khách nhận được thư điện tử xác nhận. Giá và tình trạng còn hàng có
   thể thay đổi; giá trong đơn là giá tại lúc đặt.
4. Khách cam kết cung cấp thông tin đúng khi đặt hàng; tài khoản và mật khẩu do khách tự bảo quản.
5. Tranh chấp được giải quyết trên tinh thần thương lượng; nếu không thành, theo pháp luật Việt Nam.
"""

# slug → (the Vietnamese title a new page starts with, its Markdown). The order is the footer's.
POLICY_TEXTS: dict[str, tuple[str, str]] = {
    "giao-hang": ("Chính sách giao hàng", DELIVERY),
    "doi-tra-hoan-tien": ("Chính sách đổi trả và hoàn tiền", RETURNS),
    "hinh-thuc-thanh-toan": ("Chính sách thanh toán", PAYMENT),
    "bao-mat": ("Chính sách bảo vệ dữ liệu cá nhân", PRIVACY),
    "dieu-khoan": ("Điều khoản sử dụng", TERMS),
}


def template_text(slug: str) -> tuple[str, str]:
    """The starting title and Markdown (marked as a template to review) of a policy page."""
    title, body = POLICY_TEXTS[slug]
    body = body.split("\n", 2)[2] if body.startswith("# ") else body  # the title is the page's h1
    return title, REVIEW_NOTE + body
