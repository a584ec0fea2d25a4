"""A synthetic Loa site of any size, for benchmarks: `python bench/corpus.py --n N --out DIR`.

The site has the sample's three sections (policies 30 %, stories 40 %, guides 30 %),
N articles of about 7 KB of Vietnamese Markdown each (headings, lists, some tables,
bold text, links to other articles and their headings, `{{ stat … }}` figures), three
datasets in `data/` and one SVG in `static/images/`. Everything comes from one
`random.Random(seed)`, and nothing depends on the clock or on the order of a folder
listing, so the same N and seed always give byte-identical files.

The text is built from a hand-written vocabulary about poverty reduction, phones and
4G, public e-services, farming and community digital teams, so that search indexes,
gzip and brotli see words and repetition like those of real articles. The people,
places, figures and documents are invented.
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import random
import shutil
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from slugify import slugify

SEED = 20241119
FIRST_DAY = dt.date(2019, 1, 1)
LAST_DAY = dt.date(2026, 11, 1)  # never after 2026-11-28: the benchmarks build "today" 2026-11-29
SECTIONS = (("policies", "Chính sách", "policy", 0.3),
            ("stories", "Gương thoát nghèo", "story", 0.4),
            ("guides", "Hướng dẫn", "guide", 0.3))
IMAGE = "/images/loa-ap.svg"


def _nfc(value):
    """NFC every string of a (nested) vocabulary table."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_nfc(v) for v in value)
    return value


# --------------------------------------------------------------------------- places

DISTRICTS = ["Phước Long", "Hồng Dân", "Vĩnh Lợi", "Giá Rai", "Đông Hải", "Hòa Bình",
             "TP Bạc Liêu"]
COMMUNES = {
    "Phước Long": ["Vĩnh Phú Đông", "Vĩnh Phú Tây", "Phong Thạnh Tây A", "Phong Thạnh Tây B",
                   "Vĩnh Thanh", "Hưng Phú", "Phước Long Đông", "Vĩnh Phú Trung"],
    "Hồng Dân": ["Ninh Quới", "Ninh Quới A", "Ninh Hòa", "Lộc Ninh", "Vĩnh Lộc", "Vĩnh Lộc A",
                 "Ninh Thạnh Lợi", "Ngan Dừa"],
    "Vĩnh Lợi": ["Châu Hưng", "Châu Hưng A", "Châu Thới", "Hưng Hội", "Hưng Thành",
                 "Long Thạnh", "Vĩnh Hưng A"],
    "Giá Rai": ["Phong Thạnh", "Phong Tân", "Tân Phong", "Tân Thạnh", "Phong Thạnh A",
                "Phong Thạnh Đông", "Láng Tròn Tây"],
    "Đông Hải": ["Gành Hào", "Long Điền", "Long Điền Đông", "Long Điền Tây", "An Trạch",
                 "An Phúc", "Định Thành", "Điền Hải"],
    "Hòa Bình": ["Vĩnh Hậu", "Vĩnh Hậu A", "Vĩnh Thịnh", "Minh Diệu", "Vĩnh Bình",
                 "Vĩnh Mỹ A", "Vĩnh Mỹ B"],
    "TP Bạc Liêu": ["Nhà Mát", "Hiệp Thành", "Vĩnh Trạch", "Vĩnh Trạch Đông", "Phường 2",
                    "Phường 5"],
}
HAMLETS = ["Ấp Nọc Nạng", "Ấp Cây Gừa", "Ấp Kinh Tế", "Ấp Bà Hiên", "Ấp Vĩnh Mới",
           "Ấp Cái Cùng", "Ấp Huy Liệu", "Ấp Thạnh Hưng", "Ấp Ninh Lợi", "Ấp Xẻo Lá",
           "Ấp Tà Ky", "Ấp Bờ Xáng", "Ấp Giồng Me", "Ấp Chùa Phật", "Ấp Trà Kha",
           "Ấp Kinh Xáng", "Ấp Phú Tân", "Ấp Cỏ Thum", "Ấp Kinh Lớn", "Ấp Công Điền"]
PROVINCE = "Toàn tỉnh Bạc Liêu"

# --------------------------------------------------------------------------- people

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Dương", "Lâm",
          "Tô", "Quách", "Trương", "Đoàn", "Châu", "Lý"]
KHMER_FAMILY = ["Thạch", "Danh", "Sơn", "Kim", "Lâm", "Tăng"]
MALE_MIDDLE = ["Văn", "Minh", "Hoàng", "Thanh", "Quốc", "Hữu", "Công"]
FEMALE_MIDDLE = ["Thị", "Ngọc", "Thu", "Kim", "Mỹ", "Thanh", "Bích"]
MALE_GIVEN = ["Lợi", "Tâm", "Phúc", "Hải", "Dũng", "Sang", "Tài", "Nghĩa", "Thắng", "Hậu",
              "Khánh", "Toàn", "Hiếu", "Lộc", "Bảy", "Út", "Tư", "Sáu", "Đời", "Hùng"]
FEMALE_GIVEN = ["Hoa", "Lan", "Hồng", "Nga", "Thảo", "Diễm", "Trang", "Mai", "Xuân",
                "Phượng", "Hạnh", "Thúy", "Loan", "Nhung", "Bé", "Út", "Yến", "Hằng"]
KHMER_GIVEN = ["Sô Phên", "Sa Ri", "Sóc Kha", "Sa Rươne", "Chanh Thu", "Sà Phol",
               "Khum", "Sóc Dên", "Pha Ly", "Xa Rinh"]

# --------------------------------------------------------------------------- vocabulary

# Who does things. A few have a short form for "they" in follow-up clauses.
SUBJECTS = [
    "bà con", "người dân", "nhiều hộ nghèo", "các hộ cận nghèo", "người cao tuổi",
    "thanh niên trong ấp", "chị em phụ nữ", "đồng bào Khmer", "học sinh", "các hộ nuôi tôm",
    "nông dân", "tiểu thương ở chợ xã", "cán bộ văn hóa xã", "cán bộ ấp",
    "tổ công nghệ số cộng đồng", "đoàn viên thanh niên", "hội viên hội nông dân",
    "hội viên hội phụ nữ", "trưởng ấp", "công an xã", "cán bộ khuyến nông", "giáo viên",
    "nhân viên nhà mạng", "nhân viên bưu điện xã", "trạm y tế xã", "các hợp tác xã",
    "người khuyết tật", "các gia đình chính sách", "người lao động đi làm xa",
    "bà con ở ấp xa", "cán bộ một cửa của xã", "các chi hội phụ nữ", "người bán hàng ở chợ",
    "các hộ làm muối", "người trồng lúa", "người nuôi cua", "các em đoàn viên",
    "các tổ trưởng tổ nhân dân tự quản", "cán bộ lao động – thương binh và xã hội",
    "những hộ vừa thoát nghèo",
]
SOURCES = [
    "báo cáo của UBND xã", "Sở Thông tin và Truyền thông", "kết quả rà soát cuối năm",
    "số liệu của ngành lao động – thương binh và xã hội", "các nhà mạng trên địa bàn",
    "Ban chỉ đạo chuyển đổi số của tỉnh", "Hội Nông dân tỉnh", "Hội Liên hiệp Phụ nữ tỉnh",
    "Trung tâm Khuyến nông", "Đài Phát thanh và Truyền hình tỉnh", "Bưu điện tỉnh",
    "Tỉnh đoàn", "Trung tâm Phục vụ hành chính công", "Công an tỉnh",
]
TIMES = [
    "Từ đầu năm", "Trong năm qua", "Sau đợt tập huấn", "Mỗi tối thứ bảy", "Vào mùa khô",
    "Khi vào vụ lúa", "Sau mỗi lần họp ấp", "Trước kỳ rà soát hộ nghèo", "Trong ba tháng",
    "Từ khi có sóng 4G", "Cuối tuần", "Những ngày nước lớn", "Khi hết vụ tôm",
    "Vào buổi sáng", "Sau giờ làm đồng", "Trong đợt cao điểm", "Mấy năm gần đây",
    "Từ tháng trước", "Sau khi đổi máy", "Trong mùa mưa", "Trước Tết",
    "Ngay sau lễ Sene Dolta", "Trong đợt chiến dịch tình nguyện hè",
]
PLACES = [
    "ở nhà văn hóa ấp", "tại trụ sở UBND xã", "ngay tại nhà", "ở điểm bưu điện văn hóa xã",
    "ở chợ xã", "tại chùa trong ấp", "ở trường tiểu học", "ngoài đồng", "bên bờ vuông tôm",
    "ở cửa hàng nhà mạng", "tại trạm y tế", "ở bộ phận một cửa", "ở sân nhà trưởng ấp",
    "trong nhóm Zalo của ấp", "trên loa truyền thanh của xã", "ở điểm phát sóng wifi miễn phí",
]
MANNERS = [
    "một cách dễ dàng", "mà không phải đi xa", "chỉ trong vài phút", "nhanh hơn trước nhiều",
    "mà không tốn tiền", "theo từng bước", "với sự giúp đỡ của con cháu", "một cách an toàn",
    "ngay trên điện thoại", "mà không cần giấy tờ bản giấy", "đúng hạn",
    "cùng với hàng xóm", "dù mắt đã kém", "bằng tiếng Khmer lẫn tiếng Việt",
    "với chi phí thấp", "từ sáng sớm", "khi có thời gian rảnh",
]
MODALS = ["đã", "đang", "sẽ", "có thể", "cần", "được hướng dẫn", "thường", "bắt đầu",
          "muốn", "nên", "đã biết cách", "vẫn còn ngại", "dần quen với việc", "tự"]
CONNECTORS = ["nhờ vậy", "vì thế", "trong khi đó", "sau đó", "đồng thời", "từ đó",
              "nhờ đó", "cũng vì vậy", "còn", "bên cạnh đó"]
SAY_VERBS = ["kể", "chia sẻ", "cho biết", "nói", "nhớ lại", "tâm sự", "cười nói"]
RESULTS = [
    "thu nhập của nhiều hộ tăng lên", "bà con bớt phải đi lại", "thông tin đến được từng nhà",
    "hồ sơ được giải quyết sớm hơn", "ít người bị lừa qua điện thoại hơn",
    "nhiều hộ đã ra khỏi diện nghèo", "người già cũng tự gọi video cho con cháu",
    "giá bán nông sản tốt hơn", "cán bộ ấp nắm tình hình nhanh hơn",
    "học sinh học trực tuyến không bị gián đoạn", "chi phí đi lại giảm hẳn",
    "nhiều gia đình mạnh dạn vay vốn làm ăn", "thông báo của xã không còn bị sót",
    "tỷ lệ hồ sơ trực tuyến tăng đều", "bà con tin tưởng hơn vào chính quyền",
]
BENEFITS = [
    "sự hỗ trợ của tổ công nghệ số", "chương trình giảm nghèo bền vững", "sóng 4G phủ khắp ấp",
    "chiếc điện thoại thông minh giá thấp", "các lớp học buổi tối", "nhóm Zalo của ấp",
    "loa truyền thanh của xã", "nguồn vốn vay ưu đãi", "sự kiên nhẫn của cán bộ",
    "gói cước ưu đãi của nhà mạng", "điểm wifi miễn phí ở nhà văn hóa",
    "sự giúp đỡ của con cháu", "cuốn sổ tay hướng dẫn in chữ to",
]
HELPS = [
    "hỏi tổ công nghệ số cộng đồng", "nhờ con cháu làm cùng", "ghé bộ phận một cửa của xã",
    "gọi cho trưởng ấp", "đến nhà văn hóa ấp vào tối thứ bảy", "hỏi nhân viên bưu điện",
    "nhắn tin vào nhóm Zalo của ấp", "gọi tổng đài của nhà mạng",
    "hỏi cán bộ văn hóa xã", "xem lại hướng dẫn in chữ to dán ở nhà văn hóa",
]
QUOTES = [
    "Lúc đầu tôi sợ bấm sai lắm, giờ thì quen rồi",
    "Có cái điện thoại, tôi hỏi được cán bộ mà không phải bỏ buổi làm",
    "Cái điện thoại không làm ruộng thay mình được, nhưng nó giúp mình hỏi đúng người",
    "Mấy đứa nhỏ trong tổ chỉ từng chút một, không ai la rầy gì",
    "Trước đây đi làm giấy tờ mất cả ngày, giờ ngồi nhà cũng xong",
    "Bán được hàng qua Zalo, tôi mới thấy mình làm được",
    "Nhà mạng không bao giờ gọi bảo mình đọc mã, tôi nhớ kỹ câu đó",
    "Tôi ghi từng bước vào cuốn sổ, quên thì mở ra coi",
    "Ấp mình giờ ai cũng có nhóm Zalo, tin gì cũng biết liền",
    "Con ở Bình Dương gọi video về, thấy mặt cháu là mừng",
    "Làm thử một góc ruộng trước, thấy được rồi mới làm cả",
    "Mình nghèo thông tin thì mới nghèo tiền, giờ phải học thôi",
    "Tôi lớn tuổi rồi, nhưng học chậm thì học chậm, miễn là học",
    "Giá tôm lên xuống tôi coi trên điện thoại, không còn bị ép giá",
    "Có chuyện gì tôi nhắn cho tổ, tối là có người tới giúp",
]
QUOTE_PEOPLE = ["ông Tư", "bà Sáu", "chị Út", "anh Bảy", "cô Hồng", "chú Tám", "bà Năm",
                "anh Sang", "chị Sa Ri", "ông Thạch Khum", "em Diễm", "bác Mười"]
UNIT_NOUNS = ["hộ", "người", "thành viên", "lượt hồ sơ", "máy điện thoại", "lớp tập huấn",
              "ấp", "điểm wifi", "thuê bao 4G", "tài khoản VNeID"]
AUDIENCES = ["người cao tuổi", "hộ nghèo", "bà con ở ấp xa", "người mới dùng điện thoại",
             "chị em phụ nữ", "đồng bào Khmer", "người khuyết tật", "nông dân",
             "học sinh và phụ huynh", "tiểu thương"]

# Topics: verb phrases (base form, fit after a modal), nouns for lists, guide steps,
# and titles. Several hundred phrases in all.
TOPICS = {
    "4g": {
        "verbs": [
            "đổi máy chỉ dùng 2G sang điện thoại thông minh 4G", "đổi SIM cũ sang SIM 4G",
            "kiểm tra máy mình có bắt được sóng 4G hay không", "mua điện thoại thông minh giá thấp",
            "đăng ký gói cước ưu đãi cho hộ nghèo", "bật dữ liệu di động khi ra khỏi nhà",
            "tắt các ứng dụng chạy ngầm để đỡ tốn pin", "kiểm tra dung lượng còn lại của gói cước",
            "chuyển tên chủ thuê bao về đúng người dùng", "chụp ảnh và gửi qua Zalo",
            "gọi video cho con cháu làm ăn xa", "nạp tiền điện thoại qua ứng dụng",
            "phóng to chữ trên màn hình cho dễ đọc", "cập nhật phần mềm cho điện thoại",
            "lưu số điện thoại của cán bộ ấp vào danh bạ", "xem tin tức của tỉnh trên điện thoại",
            "kết nối wifi miễn phí ở nhà văn hóa", "giữ điện thoại khỏi nước và bùn đất",
            "dùng điện thoại thông minh lần đầu", "sạc pin đúng cách khi mất điện",
            "tìm vị trí có sóng mạnh trong nhà", "chia sẻ kết nối cho máy của người thân",
        ],
        "nouns": [
            "điện thoại thông minh", "sóng 4G", "SIM 4G", "gói cước ưu đãi", "máy 2G cũ",
            "cửa hàng nhà mạng", "thẻ căn cước gắn chip", "dung lượng dữ liệu", "trạm phát sóng",
            "màn hình cảm ứng", "bộ sạc dự phòng", "ốp lưng chống nước",
        ],
        "steps": [
            "Xem máy mình có 4G chưa", "Kiểm tra SIM", "Mang giấy tờ ra cửa hàng",
            "Đổi SIM 4G", "Chọn máy phù hợp", "Đăng ký gói cước", "Bật dữ liệu di động",
            "Lưu danh bạ sang máy mới", "Cài Zalo và gọi thử", "Phóng to chữ cho dễ đọc",
        ],
        "titles": [
            "đổi điện thoại 2G sang 4G", "chọn điện thoại thông minh giá thấp",
            "tiết kiệm dung lượng 4G", "dùng điện thoại thông minh lần đầu",
            "giữ pin điện thoại lâu hơn", "kiểm tra gói cước trên điện thoại",
            "chuyển danh bạ sang máy mới", "gọi video qua Zalo",
        ],
        "policy": [
            "hỗ trợ hộ nghèo chuyển sang điện thoại thông minh 4G", "dừng sóng 2G và hỗ trợ đổi máy",
            "phủ sóng 4G đến các ấp vùng sâu", "tặng điện thoại thông minh cho học sinh nghèo",
            "gói cước ưu đãi cho hộ nghèo và cận nghèo",
        ],
    },
    "dvc": {
        "verbs": [
            "nộp hồ sơ trên Cổng Dịch vụ công quốc gia", "cài đặt và kích hoạt ứng dụng VNeID",
            "đăng ký tài khoản định danh điện tử mức 2", "tra cứu kết quả giải quyết hồ sơ",
            "đăng ký khai sinh trực tuyến cho con", "đăng ký thường trú qua mạng",
            "nhận kết quả hồ sơ qua bưu điện", "thanh toán lệ phí bằng điện thoại",
            "cấp đổi giấy phép lái xe trực tuyến", "xin cấp phiếu lý lịch tư pháp trên VNeID",
            "đặt lịch khám bệnh qua ứng dụng", "dùng thẻ bảo hiểm y tế trên VNeID",
            "chụp giấy tờ rõ nét để đính kèm hồ sơ", "đặt mật khẩu khó đoán cho tài khoản",
            "tích hợp giấy phép lái xe vào VNeID", "gửi phản ánh, kiến nghị đến chính quyền",
            "theo dõi tin nhắn báo tiến độ hồ sơ", "làm thủ tục hưởng trợ cấp xã hội",
            "khai báo tạm trú khi đi làm xa", "đăng ký kết hôn tại bộ phận một cửa",
        ],
        "nouns": [
            "Cổng Dịch vụ công quốc gia", "ứng dụng VNeID", "tài khoản định danh điện tử",
            "mã OTP", "bộ phận một cửa", "hồ sơ trực tuyến", "giấy khai sinh", "số định danh cá nhân",
            "lệ phí trực tuyến", "phiếu lý lịch tư pháp", "thẻ bảo hiểm y tế", "chữ ký số",
        ],
        "steps": [
            "Chuẩn bị giấy tờ và điện thoại", "Tải ứng dụng VNeID", "Đăng ký tài khoản",
            "Kích hoạt tài khoản", "Đặt mật khẩu và mật mã", "Chọn thủ tục cần làm",
            "Điền tờ khai", "Chụp và đính kèm giấy tờ", "Nộp hồ sơ và lưu mã hồ sơ",
            "Theo dõi kết quả",
        ],
        "titles": [
            "cài đặt và kích hoạt VNeID", "nộp hồ sơ dịch vụ công trên điện thoại",
            "đăng ký khai sinh trực tuyến", "tra cứu hồ sơ đã nộp", "đăng ký thường trú qua mạng",
            "thanh toán lệ phí trực tuyến", "dùng thẻ bảo hiểm y tế trên VNeID",
            "xin phiếu lý lịch tư pháp trên điện thoại",
        ],
        "policy": [
            "đẩy mạnh dịch vụ công trực tuyến toàn trình", "miễn lệ phí hồ sơ nộp trực tuyến",
            "số hóa hồ sơ tại bộ phận một cửa cấp xã", "triển khai Đề án 06 ở cấp xã",
            "hỗ trợ người dân làm thủ tục trên VNeID",
        ],
    },
    "nong": {
        "verbs": [
            "tìm kỹ thuật canh tác lúa – tôm trên điện thoại", "hỏi cán bộ khuyến nông qua Zalo",
            "chụp ảnh bệnh lúa gửi cho kỹ sư", "theo dõi độ mặn trước khi lấy nước vào ruộng",
            "xem lịch thời vụ của ngành nông nghiệp", "ghi nhật ký ao nuôi trên điện thoại",
            "tra giá tôm, giá lúa mỗi sáng", "bán gạo cho người quen qua mạng",
            "làm thử trên một góc ruộng trước", "chọn giống lúa chịu mặn",
            "cải tạo vuông tôm sau mỗi vụ", "xem video của trung tâm khuyến nông",
            "đăng ảnh muối sạch lên nhóm bán hàng", "liên hệ hợp tác xã để bao tiêu sản phẩm",
            "dùng ứng dụng dự báo thời tiết", "tính chi phí mỗi vụ trên điện thoại",
            "nuôi cua xen canh trong vuông tôm", "trồng rau sạch bán ở chợ xã",
            "hỏi kinh nghiệm nuôi tôm càng xanh", "tham gia lớp tập huấn nông nghiệp số",
        ],
        "nouns": [
            "ruộng lúa – tôm", "vuông tôm", "độ mặn", "giống lúa chịu mặn", "cán bộ khuyến nông",
            "nhật ký ao nuôi", "giá tôm sú", "hạt muối", "hợp tác xã", "lịch thời vụ",
            "con cua biển", "rau sạch",
        ],
        "steps": [
            "Chọn nguồn thông tin đáng tin", "Ghi ra câu muốn hỏi", "Tìm video của khuyến nông",
            "Chụp ảnh ruộng và gửi hỏi", "Làm thử trên diện tích nhỏ", "Ghi chép kết quả",
            "Đăng bán sản phẩm", "Tra giá trước khi bán", "Hỏi lại cán bộ khi có bất thường",
        ],
        "titles": [
            "tìm kỹ thuật lúa – tôm trên điện thoại", "tra giá tôm, giá lúa mỗi ngày",
            "ghi nhật ký ao nuôi bằng điện thoại", "bán nông sản qua Zalo",
            "hỏi cán bộ khuyến nông từ xa", "xem dự báo thời tiết và độ mặn",
            "đăng bán muối sạch trên mạng", "chụp ảnh bệnh cây gửi kỹ sư",
        ],
        "policy": [
            "hỗ trợ chuyển đổi số trong sản xuất nông nghiệp", "phát triển mô hình lúa – tôm bền vững",
            "đưa nông sản Bạc Liêu lên sàn thương mại điện tử", "tập huấn nông nghiệp số cho nông dân",
            "hỗ trợ hợp tác xã truy xuất nguồn gốc",
        ],
    },
    "to": {
        "verbs": [
            "đến từng nhà hướng dẫn bà con dùng điện thoại", "mở lớp học buổi tối ở nhà văn hóa",
            "giúp người già cài VNeID", "lập nhóm Zalo cho từng tổ nhân dân",
            "ghi lại những câu bà con hay hỏi", "in hướng dẫn chữ to dán ở nhà văn hóa",
            "đọc thông báo trên loa ấp", "trực ở bộ phận một cửa vào sáng thứ hai",
            "nhắc bà con cảnh giác với cuộc gọi lạ", "giúp hộ nghèo nộp hồ sơ trực tuyến",
            "kết nối với nhà mạng để đổi SIM tại chỗ", "hướng dẫn thanh toán không dùng tiền mặt",
            "chia nhau phụ trách từng tổ nhân dân", "báo cáo kết quả hằng tháng cho xã",
            "tập huấn kỹ năng số cho đoàn viên", "dịch hướng dẫn sang tiếng Khmer",
            "đi cùng bà con ra bưu điện", "sửa lỗi nhỏ trên điện thoại cho người dân",
            "giới thiệu các ứng dụng hữu ích", "thăm lại những hộ đã được hướng dẫn",
        ],
        "nouns": [
            "tổ công nghệ số cộng đồng", "lớp học buổi tối", "nhóm Zalo của ấp",
            "sổ tay hướng dẫn", "đoàn viên thanh niên", "loa truyền thanh", "nhà văn hóa ấp",
            "danh sách hộ cần giúp", "buổi tập huấn", "tờ rơi chữ to", "tổ nhân dân tự quản",
            "cán bộ văn hóa xã",
        ],
        "steps": [
            "Lập danh sách hộ cần giúp", "Chia việc trong tổ", "Hẹn lịch với bà con",
            "Hướng dẫn tại nhà", "Ghi lại câu hỏi thường gặp", "Báo kết quả cho xã",
            "Thăm lại sau một tuần", "Mời bà con vào nhóm Zalo",
        ],
        "titles": [
            "tham gia tổ công nghệ số cộng đồng", "mở lớp học điện thoại buổi tối",
            "lập nhóm Zalo an toàn cho ấp", "hướng dẫn người già dùng điện thoại",
            "ghi sổ theo dõi hộ đã được giúp", "tổ chức buổi tập huấn kỹ năng số",
            "dịch hướng dẫn sang tiếng Khmer", "đi hướng dẫn tận nhà",
        ],
        "policy": [
            "kiện toàn tổ công nghệ số cộng đồng", "bồi dưỡng kỹ năng số cho thành viên tổ",
            "chế độ hỗ trợ thành viên tổ công nghệ số", "phong trào Bình dân học vụ số",
            "huy động đoàn viên tham gia chuyển đổi số",
        ],
    },
    "ngheo": {
        "verbs": [
            "rà soát hộ nghèo theo chuẩn nghèo đa chiều", "vay vốn ưu đãi của Ngân hàng Chính sách",
            "nhận hỗ trợ sinh kế từ chương trình giảm nghèo", "học nghề ngắn hạn miễn phí",
            "tìm việc làm qua sàn giao dịch việc làm", "đăng ký nhận trợ cấp xã hội",
            "cải thiện thu nhập bằng mô hình chăn nuôi", "xây lại căn nhà bị xuống cấp",
            "được cấp thẻ bảo hiểm y tế miễn phí", "cho con đi học đều đặn",
            "tự nguyện xin ra khỏi diện hộ nghèo", "tham gia tổ hợp tác sản xuất",
            "nhận thông tin chính sách qua loa ấp", "đăng ký học bổng cho con",
            "được hỗ trợ nước sạch sinh hoạt", "làm thêm nghề phụ lúc nông nhàn",
            "tiết kiệm một phần thu nhập mỗi tháng", "được hỗ trợ tiền điện hằng quý",
        ],
        "nouns": [
            "chuẩn nghèo đa chiều", "hộ nghèo", "hộ cận nghèo", "vốn vay ưu đãi",
            "Ngân hàng Chính sách xã hội", "mô hình sinh kế", "thẻ bảo hiểm y tế", "trợ cấp xã hội",
            "nhà đại đoàn kết", "học nghề ngắn hạn", "nước sạch", "giấy chứng nhận hộ nghèo",
        ],
        "steps": [
            "Xem mình thuộc diện nào", "Hỏi trưởng ấp về danh sách", "Chuẩn bị giấy tờ",
            "Nộp đơn ở xã", "Theo dõi kết quả rà soát", "Nhận hỗ trợ", "Lập kế hoạch làm ăn",
            "Báo khi hoàn cảnh thay đổi",
        ],
        "titles": [
            "biết nhà mình có thuộc diện hộ nghèo không", "vay vốn ưu đãi cho hộ cận nghèo",
            "đăng ký học nghề miễn phí", "nhận trợ cấp xã hội hằng tháng",
            "xin cấp thẻ bảo hiểm y tế cho hộ nghèo", "tìm việc làm trên điện thoại",
            "đăng ký học bổng cho con", "làm hồ sơ hỗ trợ nhà ở",
        ],
        "policy": [
            "chương trình mục tiêu quốc gia giảm nghèo bền vững", "chuẩn nghèo đa chiều giai đoạn mới",
            "giảm nghèo về thông tin", "hỗ trợ nhà ở cho hộ nghèo", "hỗ trợ sinh kế cho hộ cận nghèo",
            "rà soát hộ nghèo, hộ cận nghèo hằng năm",
        ],
    },
    "antoan": {
        "verbs": [
            "nhận biết cuộc gọi giả danh công an", "không đọc mã OTP cho bất kỳ ai",
            "chặn số điện thoại lạ", "báo công an xã khi bị lừa", "kiểm tra đường link trước khi bấm",
            "cài ứng dụng từ kho chính thức", "đặt mật khẩu khác nhau cho từng tài khoản",
            "cảnh giác với tin nhắn trúng thưởng", "bảo vệ tài khoản Zalo bằng xác thực hai lớp",
            "không chuyển tiền cho người lạ", "kiểm tra thông tin trên trang chính thức",
            "xóa ứng dụng lạ khỏi điện thoại", "nhắc người thân về các chiêu lừa mới",
            "giữ kín thông tin căn cước", "gọi lại cho người thân để xác minh",
            "khóa màn hình bằng mật mã", "tắt định vị khi không cần",
            "không tin lời mời việc nhẹ lương cao",
        ],
        "nouns": [
            "mã OTP", "cuộc gọi lạ", "đường link lạ", "tin nhắn trúng thưởng", "kẻ gian",
            "tài khoản ngân hàng", "mật khẩu", "ứng dụng giả mạo", "tổng đài 156",
            "xác thực hai lớp", "công an xã", "tin giả",
        ],
        "steps": [
            "Nghe kỹ người gọi xưng là ai", "Không làm theo yêu cầu lạ", "Gọi lại số chính thức",
            "Chặn và báo cáo số lạ", "Đổi mật khẩu ngay", "Báo ngân hàng khóa tài khoản",
            "Báo công an xã", "Nhắc người thân",
        ],
        "titles": [
            "nhận biết lừa đảo qua điện thoại", "bảo vệ tài khoản Zalo", "giữ an toàn mã OTP",
            "xử lý khi lỡ bấm vào đường link lạ", "nhận biết tin giả trên mạng",
            "tham gia nhóm Zalo an toàn", "chặn cuộc gọi rác", "khóa điện thoại khi bị mất",
        ],
        "policy": [
            "phòng chống lừa đảo trực tuyến", "bảo đảm an toàn thông tin cho người dân",
            "xử lý tin giả trên mạng xã hội", "tuyên truyền kỹ năng an toàn số",
            "phối hợp ngăn chặn sim rác",
        ],
    },
    "ban": {
        "verbs": [
            "mở tài khoản ngân hàng trên điện thoại", "nhận tiền bằng mã QR",
            "bán khô cá, tôm khô qua Zalo", "đăng sản phẩm lên sàn thương mại điện tử",
            "gửi hàng theo xe khách cho người mua", "chụp ảnh sản phẩm cho đẹp",
            "trả tiền điện, tiền nước qua ứng dụng", "ghi sổ bán hàng trên điện thoại",
            "giới thiệu đặc sản địa phương trên mạng", "nhận đơn hàng từ bà con ở xa",
            "đóng gói hàng cho gọn và sạch", "trả lời khách hàng nhanh chóng",
            "kiểm tra tiền đã vào tài khoản", "tham gia phiên chợ trực tuyến của tỉnh",
            "in mã QR dán ở quầy hàng", "giữ uy tín với người mua",
            "livestream giới thiệu sản phẩm", "đóng bảo hiểm xã hội tự nguyện qua điện thoại",
        ],
        "nouns": [
            "mã QR", "tài khoản ngân hàng", "sàn thương mại điện tử", "tôm khô", "khô cá",
            "bánh tằm", "muối hột", "đơn hàng", "phiên chợ trực tuyến", "sản phẩm OCOP",
            "ví điện tử", "phí chuyển khoản",
        ],
        "steps": [
            "Mở tài khoản ngân hàng", "Tạo mã QR nhận tiền", "Chụp ảnh sản phẩm",
            "Viết lời giới thiệu ngắn", "Đăng bán vào nhóm", "Nhận đơn và xác nhận",
            "Đóng gói và gửi hàng", "Kiểm tra tiền về",
        ],
        "titles": [
            "nhận tiền bằng mã QR", "bán hàng qua Zalo", "đăng sản phẩm lên sàn thương mại điện tử",
            "chụp ảnh sản phẩm bằng điện thoại", "trả tiền điện qua ứng dụng",
            "mở tài khoản ngân hàng không cần ra quầy", "ghi sổ bán hàng trên điện thoại",
            "gửi hàng cho khách ở xa",
        ],
        "policy": [
            "thanh toán không dùng tiền mặt ở nông thôn", "đưa sản phẩm OCOP lên sàn thương mại điện tử",
            "xây dựng chợ 4.0 ở các xã", "hỗ trợ hộ kinh doanh chuyển đổi số",
            "chi trả an sinh xã hội qua tài khoản",
        ],
    },
    "loa": {
        "verbs": [
            "nghe bản tin trên loa truyền thanh của xã", "đọc tin của tỉnh trên điện thoại",
            "xem chương trình truyền hình tiếng Khmer", "nhận thông báo lịch tiêm qua Zalo",
            "đọc sách báo ở điểm bưu điện văn hóa", "dùng wifi miễn phí ở nhà văn hóa",
            "lắp đặt cụm loa thông minh ở ấp", "phát lại bản tin vào buổi tối",
            "đăng thông báo của xã lên trang thông tin điện tử", "chia sẻ tin đúng cho hàng xóm",
            "hỏi đáp chính sách trên chương trình phát thanh", "xem bản tin thời tiết mỗi tối",
            "lắng nghe ý kiến của bà con qua đường dây nóng", "cập nhật lịch nghỉ học khi có bão",
            "đưa tin về gương người tốt việc tốt", "tìm hiểu pháp luật qua video ngắn",
        ],
        "nouns": [
            "loa truyền thanh", "cụm loa thông minh", "bản tin phát thanh", "trang thông tin điện tử",
            "điểm bưu điện văn hóa xã", "wifi miễn phí", "đường dây nóng", "bản tin tiếng Khmer",
            "tủ sách pháp luật", "bảng tin ở ấp", "thông báo của xã", "chương trình truyền hình",
        ],
        "steps": [
            "Tìm kênh tin chính thức", "Lưu trang thông tin của xã", "Bật thông báo",
            "Nghe lại bản tin", "Kiểm tra tin trước khi chia sẻ", "Gửi câu hỏi cho xã",
            "Kết nối wifi công cộng",
        ],
        "titles": [
            "nghe lại bản tin loa xã trên điện thoại", "kết nối wifi miễn phí ở nhà văn hóa",
            "tìm tin chính thức của tỉnh", "gửi câu hỏi đến đường dây nóng",
            "theo dõi thông báo của xã", "xem bản tin tiếng Khmer", "đọc sách pháp luật trên mạng",
            "kiểm tra tin trước khi chia sẻ",
        ],
        "policy": [
            "nâng cấp hệ thống loa truyền thanh cơ sở", "phát triển trang thông tin điện tử cấp xã",
            "đưa thông tin thiết yếu đến vùng khó khăn", "phát thanh bằng tiếng Khmer",
            "xây dựng điểm wifi công cộng ở nông thôn",
        ],
    },
}
TOPIC_NAMES = sorted(TOPICS)

TAGS = [  # most common first: picked with Zipf-like weights
    "giảm nghèo", "điện thoại thông minh", "dịch vụ công", "chuyển đổi số", "4g",
    "tổ công nghệ số", "nông nghiệp", "vneid", "zalo", "lừa đảo trực tuyến",
    "hộ cận nghèo", "người cao tuổi", "thanh toán không dùng tiền mặt", "phụ nữ",
    "đồng bào khmer", "kỹ năng số", "lúa – tôm", "bảo hiểm y tế", "loa truyền thanh",
    "thương mại điện tử", "thanh niên", "học trực tuyến", "khuyến nông", "nuôi tôm",
    "internet cáp quang", "wifi công cộng", "an toàn thông tin", "việc làm", "vay vốn",
    "nhà ở", "nước sạch", "y tế từ xa", "giáo dục", "chữ ký số", "căn cước", "chợ 4.0",
    "muối", "hợp tác xã", "sản phẩm ocop", "người khuyết tật",
]
TOPIC_TAGS = {
    "4g": ["4g", "điện thoại thông minh"], "dvc": ["dịch vụ công", "vneid"],
    "nong": ["nông nghiệp", "khuyến nông"], "to": ["tổ công nghệ số", "kỹ năng số"],
    "ngheo": ["giảm nghèo", "hộ cận nghèo"], "antoan": ["lừa đảo trực tuyến", "an toàn thông tin"],
    "ban": ["thanh toán không dùng tiền mặt", "thương mại điện tử"],
    "loa": ["loa truyền thanh", "wifi công cộng"],
}

DOC_TYPES = [("Quyết định", "QĐ-UBND"), ("Kế hoạch", "KH-UBND"), ("Nghị quyết", "NQ-HĐND"),
             ("Hướng dẫn", "HD-SLĐTBXH"), ("Chỉ thị", "CT-UBND"), ("Công văn", "UBND-VX"),
             ("Kế hoạch", "KH-STTTT"), ("Thông báo", "TB-UBND")]
ISSUERS = {
    "QĐ-UBND": "UBND tỉnh Bạc Liêu", "KH-UBND": "UBND tỉnh Bạc Liêu",
    "NQ-HĐND": "HĐND tỉnh Bạc Liêu",
    "HD-SLĐTBXH": "Sở Lao động – Thương binh và Xã hội Bạc Liêu",
    "CT-UBND": "Chủ tịch UBND tỉnh Bạc Liêu", "UBND-VX": "UBND tỉnh Bạc Liêu",
    "KH-STTTT": "Sở Thông tin và Truyền thông Bạc Liêu", "TB-UBND": "UBND tỉnh Bạc Liêu",
}

HEADINGS = {
    "policy": [
        "Văn bản này nói gì", "Ai được hỗ trợ", "Mức hỗ trợ cụ thể", "Hồ sơ và thủ tục",
        "Thời gian thực hiện", "Trách nhiệm của UBND cấp xã", "Kinh phí thực hiện",
        "Điểm mới so với trước", "Hỏi ở đâu khi cần", "Những việc bà con cần làm ngay",
        "Các chỉ tiêu chính", "Phối hợp với nhà mạng", "Cách theo dõi kết quả",
        "Vì sao cần chính sách này", "Những trường hợp không được hỗ trợ",
        "Vai trò của tổ công nghệ số", "Kết quả bước đầu", "Khen thưởng và xử lý vi phạm",
    ],
    "policy3": [
        "Đối với hộ nghèo", "Đối với hộ cận nghèo", "Đối với người cao tuổi",
        "Đối với đồng bào Khmer", "Ở cấp tỉnh", "Ở cấp xã", "Ở ấp", "Đối với nhà mạng",
        "Đối với học sinh", "Về thời hạn", "Về kinh phí", "Về báo cáo",
    ],
    "story": [
        "Những ngày khó khăn", "Chiếc điện thoại đầu tiên", "Học từ tổ công nghệ số",
        "Bước ngoặt", "Bán hàng qua Zalo", "Làm thử trước khi làm lớn", "Hàng xóm học theo",
        "Điều muốn nhắn gửi", "Thu nhập khá dần", "Những khó khăn còn lại",
        "Kế hoạch cho năm tới", "Một lần suýt bị lừa", "Con cháu ở xa", "Đi họp ấp",
        "Tự tay làm hồ sơ", "Giữ nghề của cha ông", "Ra khỏi diện hộ nghèo", "Niềm vui nhỏ",
    ],
    "story3": [
        "Hỏi lại cán bộ khuyến nông", "Ghi chép trên điện thoại", "Những đơn hàng đầu tiên",
        "Tối thứ bảy ở nhà văn hóa", "Lời khuyên của trưởng ấp", "Cuốn sổ ghi chép",
        "Chuyện cái mã OTP", "Gặp lại cô giáo cũ", "Buổi chợ phiên đầu tiên",
    ],
    "guide": [
        "Cần chuẩn bị gì", "Nếu gặp khó", "Lưu ý an toàn", "Hỏi ai khi cần giúp",
        "Mất bao lâu", "Câu hỏi thường gặp", "Làm gì tiếp theo",
    ],
    "guide3": [
        "Trên máy Android", "Trên iPhone", "Khi không có wifi", "Khi máy báo lỗi",
        "Nếu quên mật khẩu", "Khi làm giúp người khác", "Nếu chữ quá nhỏ",
    ],
}
STORY_DEEDS = [
    "bán tôm khô qua điện thoại", "thoát nghèo nhờ học làm lúa – tôm trên mạng",
    "mở quầy tạp hóa nhận tiền bằng mã QR", "dạy cả xóm dùng Zalo",
    "tự làm giấy khai sinh cho con trên VNeID", "đưa muối sạch lên sàn thương mại điện tử",
    "không còn sợ cuộc gọi lạ", "nuôi cua xen tôm, nhà khá dần",
    "học nghề qua video rồi mở tiệm sửa xe", "cùng tổ công nghệ số đi từng nhà",
    "bán bánh tằm cho khách ở thành phố", "vay vốn ưu đãi và tra giá tôm mỗi sáng",
    "đổi máy 4G, gọi video cho con ở xa", "giữ nghề đan đát và bán hàng trên mạng",
    "mở lớp học điện thoại buổi tối", "từ hộ nghèo thành tổ trưởng tổ hợp tác",
    "trồng rau sạch, nhận đơn qua nhóm Zalo", "làm chủ chiếc điện thoại ở tuổi bảy mươi",
]
GUIDE_PREFIXES = ["Cách", "Hướng dẫn", "Các bước", "Tự"]
POLICY_SUFFIXES = ["", " giai đoạn 2021–2025", " giai đoạn 2026–2030", " năm {year}",
                   " ở {district}", " tại các xã vùng sâu", " cho {audience}"]
DURATIONS = ["10 phút", "15 phút", "20 phút", "30 phút", "45 phút", "1 giờ", "một buổi",
             "2 ngày làm việc", "3 ngày làm việc"]

(DISTRICTS, COMMUNES, HAMLETS, FAMILY, KHMER_FAMILY, MALE_MIDDLE, FEMALE_MIDDLE, MALE_GIVEN,
 FEMALE_GIVEN, KHMER_GIVEN, SUBJECTS, SOURCES, TIMES, PLACES, MANNERS, MODALS, CONNECTORS,
 SAY_VERBS, RESULTS, BENEFITS, HELPS, QUOTES, QUOTE_PEOPLE, UNIT_NOUNS, AUDIENCES, TOPICS, TAGS,
 TOPIC_TAGS, DOC_TYPES, ISSUERS, HEADINGS, STORY_DEEDS, GUIDE_PREFIXES, POLICY_SUFFIXES,
 DURATIONS) = _nfc(
    (DISTRICTS, COMMUNES, HAMLETS, FAMILY, KHMER_FAMILY, MALE_MIDDLE, FEMALE_MIDDLE, MALE_GIVEN,
     FEMALE_GIVEN, KHMER_GIVEN, SUBJECTS, SOURCES, TIMES, PLACES, MANNERS, MODALS, CONNECTORS,
     SAY_VERBS, RESULTS, BENEFITS, HELPS, QUOTES, QUOTE_PEOPLE, UNIT_NOUNS, AUDIENCES, TOPICS,
     TAGS, TOPIC_TAGS, DOC_TYPES, ISSUERS, HEADINGS, STORY_DEEDS, GUIDE_PREFIXES,
     POLICY_SUFFIXES, DURATIONS))
PROVINCE = _nfc(PROVINCE)
COMMUNE_NAMES = [f"Xã {c}" if not c.startswith("Phường") else c
                 for d in DISTRICTS for c in COMMUNES[d]]
COMMUNE_DISTRICT = {name: d for d in DISTRICTS for name, c in
                    zip([f"Xã {c}" if not c.startswith("Phường") else c for c in COMMUNES[d]],
                        COMMUNES[d])}
LOCATIONS = [PROVINCE] + DISTRICTS + COMMUNE_NAMES  # about 60

# --------------------------------------------------------------------------- datasets

POVERTY_SERIES = {2019: 4.8, 2020: 4.1, 2021: 3.6, 2022: 2.9, 2023: 2.1, 2024: 1.7,
                  2025: 1.2, 2026: 0.9}
SMARTPHONE_BY_DISTRICT = {"TP Bạc Liêu": 91.5, "Giá Rai": 84.2, "Vĩnh Lợi": 82.7,
                          "Hòa Bình": 80.3, "Đông Hải": 78.9, "Phước Long": 77.4,
                          "Hồng Dân": 74.6}
TEAM_MEMBERS = 4320
STAT_POVERTY = "giam_ngheo.ty_le"
STAT_PHONES = "ha_tang.dien_thoai"
STAT_TEAMS = "ha_tang.to_cong_nghe"


def data_files() -> dict[str, str]:
    """data/*.yaml: a series, a breakdown and one figure (invented, for benchmarks)."""
    source = "Số liệu giả lập cho thử tải (bench/corpus.py)"
    poverty = "\n".join(f"    {year}: {value}" for year, value in POVERTY_SERIES.items())
    phones = "\n".join(f'    "{name}": {value}' for name, value in SMARTPHONE_BY_DISTRICT.items())
    return _nfc({
        "giam_ngheo.yaml": f"""# Số liệu minh họa, sinh bởi bench/corpus.py: không phải số liệu thật.
ty_le:
  title: "Tỷ lệ hộ nghèo toàn tỉnh"
  unit: percent
  source: "{source}"
  as_of: 2026-01-01
  description: "Tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều sau mỗi đợt rà soát đầu năm."
  series:
{poverty}
""",
        "ha_tang.yaml": f"""# Số liệu minh họa, sinh bởi bench/corpus.py: không phải số liệu thật.
dien_thoai:
  title: "Người lớn dùng điện thoại thông minh theo địa bàn"
  unit: percent
  source: "{source}"
  as_of: 2026-01-01
  description: "Tỷ lệ người từ 15 tuổi trở lên có và dùng điện thoại thông minh."
  by:
{phones}

to_cong_nghe:
  title: "Thành viên tổ công nghệ số cộng đồng"
  unit: people
  source: "{source}"
  as_of: 2026-01-01
  description: "Tổng số thành viên các tổ công nghệ số cộng đồng ở ấp, khóm."
  value: {TEAM_MEMBERS}
""",
    })


SVG = _nfc("""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 80" width="120" height="80" role="img" aria-labelledby="t">
<title id="t">Cụm loa truyền thanh ở ấp</title>
<rect width="120" height="80" fill="#e8f4ee"/>
<rect x="56" y="20" width="6" height="56" fill="#5b4636"/>
<path d="M62 26 L88 14 L88 44 L62 34 Z" fill="#1f6f8b"/>
<path d="M56 26 L30 14 L30 44 L56 34 Z" fill="#1f6f8b"/>
</svg>
""")

# --------------------------------------------------------------------------- generation


@dataclass
class Plan:
    """What other articles need to know about one article before it is written."""

    number: int
    section: str
    kind: str
    name: str  # file name
    topic: str
    title: str
    headings: list[tuple[int, str]] = field(default_factory=list)  # (level, text)
    person: tuple[str, str] = ("", "")  # a story's household: full name, short form
    commune: str = ""  # where a story happens
    _ids: list[str] | None = None

    @property
    def path(self) -> str:
        return f"../{self.section}/{self.name}"

    def ids(self) -> list[str]:
        if self._ids is None:
            self._ids = [_slug(text) for _, text in self.headings]
        return self._ids


@functools.lru_cache(maxsize=None)
def _slug(text: str) -> str:
    """A heading's id, as Loa makes it (python-slugify). Headings come from a few hundred
    texts, and one slugify call of non-ASCII text costs about half a millisecond."""
    return slugify(text)


def section_counts(n: int) -> dict[str, int]:
    """Articles per section for N: policies and guides 30 % each, stories the rest."""
    policies = round(n * 0.3)
    guides = round(n * 0.3)
    return {"policies": policies, "stories": n - policies - guides, "guides": guides}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _low(text: str) -> str:
    """Lower the first letter unless the phrase starts with a name (VNeID, Zalo, Cổng…)."""
    first = text.split(" ", 1)[0]
    if first[1:2].isupper() or first in ("Zalo", "Cổng", "Ngân", "Bạc", "Khmer", "Đề"):
        return text
    return text[:1].lower() + text[1:]


def _person(rng: random.Random) -> tuple[str, str]:
    """(`chị Lâm Thị Sa Ri`, `chị Sa Ri`): a full name with its title, and the short form."""
    roll = rng.random()
    if roll < 0.15:
        given = rng.choice(KHMER_GIVEN)
        female = rng.random() < 0.5
        full = f"{rng.choice(KHMER_FAMILY)} {'Thị ' if female else ''}{given}"
    else:
        female = roll < 0.6
        given = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
        middle = rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
        full = f"{rng.choice(FAMILY)} {middle} {given}"
    title = rng.choice(["chị", "bà", "cô"] if female else ["anh", "ông", "chú"])
    return f"{title} {full}", f"{title} {given}"


class Writer:
    """Sentences, paragraphs and whole articles from one random generator."""

    def __init__(self, rng: random.Random, plans: list[Plan]) -> None:
        self.rng = rng
        self.plans = plans

    # ---- sentences
    def sentence(self, topic: dict, who: str | None = None) -> str:
        rng = self.rng
        roll = rng.random

        def c(items):  # rng.choice, without its per-call overhead (hot path)
            return items[int(roll() * len(items))]

        verbs = topic["verbs"]
        subject = who or c(SUBJECTS)
        verb = c(verbs)
        if roll() < 0.1:
            verb = f"**{verb}**"
        form = int(roll() * 14)
        if form == 0:
            return f"{_cap(subject)} {c(MODALS)} {verb} {c(PLACES)}."
        if form == 1:
            return f"{c(TIMES)}, {subject} {c(MODALS)} {verb} {c(MANNERS)}."
        if form == 2:
            return f"Nhờ {c(BENEFITS)}, {subject} đã {verb}, {c(CONNECTORS)} {c(RESULTS)}."
        if form == 3:
            return f"Theo {c(SOURCES)}, {c(SUBJECTS)} {c(MODALS)} {verb} {c(MANNERS)}."
        if form == 4:
            other = c(verbs)
            if other in verb:
                other = verbs[(verbs.index(other) + 1) % len(verbs)]
            return f"Không chỉ {verb}, {subject} còn {other} {c(PLACES)}."
        if form == 5:
            return f"Để {verb}, {subject} {c(MODALS)} {c(HELPS)}."
        if form == 6:
            k = int(roll() * len(HELPS))
            return (f"Nếu chưa biết cách {verb}, {subject} có thể {HELPS[k]} "
                    f"hoặc {HELPS[k - 1]}.")
        if form == 7:
            return f'"{c(QUOTES)}", {c(QUOTE_PEOPLE)} {c(SAY_VERBS)}.'
        if form == 8:
            number = rng.randrange(12, 2400)
            return (f"Đến tháng {rng.randrange(1, 13)}/{rng.randrange(2019, 2027)}, "
                    f"{c(COMMUNE_NAMES).replace('Xã', 'xã')} có {_number(number)} "
                    f"{c(UNIT_NOUNS)} liên quan đến {c(topic['nouns'])}, "
                    f"{c(CONNECTORS)} {c(RESULTS)}.")
        if form == 9:
            return (f"{_cap(subject)} {c(MODALS)} {verb}, {c(CONNECTORS)} "
                    f"{c(SUBJECTS)} {c(MODALS)} {c(verbs)}.")
        if form == 10:
            return f"Việc {verb} giúp {c(SUBJECTS)} {c(verbs)} {c(MANNERS)}."
        if form == 11:
            return (f"{_cap(c(topic['nouns']))} là điều {subject} quan tâm nhất, "
                    f"nhất là khi {c(SUBJECTS)} {c(MODALS)} {c(verbs)}.")
        if form == 12:
            return f"{c(TIMES)}, {c(RESULTS)} nhờ {c(BENEFITS)}."
        return f"{_cap(subject)} {c(MODALS)} {verb} {c(MANNERS)} {c(PLACES)}."

    def paragraph(self, topic: dict, sentences: int, who: str | None = None) -> str:
        return " ".join(self.sentence(topic, who if self.rng.random() < 0.3 else None)
                        for _ in range(sentences))

    # ---- blocks
    def bullet_list(self, topic: dict) -> str:
        rng = self.rng
        items = rng.sample(topic["verbs"], rng.randrange(3, 7))
        numbered = rng.random() < 0.4
        lines = []
        for i, item in enumerate(items, 1):
            mark = f"{i}." if numbered else "-"
            if rng.random() < 0.4:
                noun = rng.choice(topic["nouns"])
                lines.append(f"{mark} **{_cap(noun)}**: {item}, {rng.choice(MANNERS)}.")
            else:
                lines.append(f"{mark} {_cap(item)} {rng.choice(PLACES)}.")
        lead = rng.choice(["Những việc chính:", "Bà con lưu ý:", "Cụ thể như sau:",
                           "Các việc cần làm:", "Tóm lại:"])
        return lead + "\n\n" + "\n".join(lines)

    def table(self, topic: dict) -> str:
        rng = self.rng
        places = rng.sample(DISTRICTS, rng.randrange(3, 7))
        noun = rng.choice(UNIT_NOUNS)
        head = f"| Địa bàn | Số {noun} | Tỷ lệ đạt (%) | Ghi chú |"
        rows = [head, "| --- | ---: | ---: | --- |"]
        for place in places:
            rows.append(f"| {place} | {_number(rng.randrange(40, 5000))} | "
                        f"{rng.randrange(40, 100)},{rng.randrange(10)} | "
                        f"{_cap(rng.choice(topic['nouns']))} |")
        return (f"Kết quả ở từng địa bàn về {rng.choice(topic['nouns'])}:\n\n"
                + "\n".join(rows))

    def stat(self) -> str:
        rng = self.rng
        roll = rng.randrange(3)
        if roll == 0:
            return (f"Theo số liệu mới nhất, tỷ lệ hộ nghèo toàn tỉnh còn "
                    f"{{{{ stat {STAT_POVERTY} }}}}.")
        if roll == 1:
            district = rng.choice(DISTRICTS)
            return (f"Ở {district}, tỷ lệ người lớn dùng điện thoại thông minh đã đạt "
                    f'{{{{ stat {STAT_PHONES} "{district}" }}}}.')
        return (f"Toàn tỉnh hiện có {{{{ stat {STAT_TEAMS} }}}} thành viên tổ công nghệ "
                f"số cộng đồng.")

    def link(self, plan: Plan) -> str:
        rng = self.rng
        n = len(self.plans)
        target = self.plans[rng.randrange(n)]
        while target.number == plan.number and n > 1:
            target = self.plans[rng.randrange(n)]
        if target.headings and rng.random() < 0.5:
            i = rng.randrange(len(target.headings))
            text = target.headings[i][1].split(": ", 1)[-1]
            label = _low(text)
            href = f"{target.path}#{target.ids()[i]}"
        else:
            label = _low(target.title)
            href = target.path
        form = rng.randrange(4)
        if form == 0:
            return f"Xem thêm [{label}]({href})."
        if form == 1:
            return f"Bà con có thể đọc thêm bài [{label}]({href}) để biết rõ hơn."
        if form == 2:
            return f"Những điều này được nói kỹ hơn ở phần [{label}]({href})."
        return f"Nếu cần, hãy xem lại [{label}]({href}) trước khi làm."


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _plan_all(rng: random.Random, n: int) -> list[Plan]:
    counts = section_counts(n)
    kinds = []
    for name, _heading, kind, _share in SECTIONS:
        kinds += [(name, kind)] * counts[name]
    rng.shuffle(kinds)
    width = max(5, len(str(n)))
    titles: set[str] = set()
    plans = []
    for i, (section, kind) in enumerate(kinds, 1):
        topic = rng.choice(TOPIC_NAMES)
        plan = Plan(i, section, kind, f"bai-{i:0{width}d}.md", topic, "")
        plan.title = _unique(titles, lambda: _title(rng, plan), rng)
        plan.headings = _headings(rng, kind, TOPICS[topic])
        plans.append(plan)
    return plans


def _unique(seen: set[str], make, rng: random.Random) -> str:
    for _ in range(6):
        title = make()
        if title not in seen:
            break
    else:
        base = title
        title = f"{base} ở {rng.choice(COMMUNE_NAMES).replace('Xã ', 'xã ')}"
        k = 2
        while title in seen:
            title = f"{base} (kỳ {k})"
            k += 1
    seen.add(title)
    return title


def _title(rng: random.Random, plan: Plan) -> str:
    kind, topic = plan.kind, TOPICS[plan.topic]
    if kind == "policy":
        what = rng.choice(topic["policy"])
        suffix = rng.choice(POLICY_SUFFIXES)
        if " cho " in what and suffix.startswith(" cho"):
            suffix = ""
        return _cap(what) + suffix.format(year=rng.randrange(2019, 2027),
                                          district=rng.choice(DISTRICTS),
                                          audience=rng.choice(AUDIENCES))
    if kind == "guide":
        prefix = rng.choice(GUIDE_PREFIXES)
        what = rng.choice(topic["titles"])
        tail = rng.choice(["", "", f" cho {rng.choice(AUDIENCES)}", " trên máy Android",
                           " khi sóng yếu", " trong 15 phút", " không cần ra xã"])
        if "trên" in what and tail.startswith(" trên"):
            tail = ""
        return f"{prefix} {what}{tail}"
    plan.person = _person(rng)
    plan.commune = rng.choice(COMMUNE_NAMES)
    place = plan.commune.replace("Xã ", "xã ")
    return f"{_cap(plan.person[0])} ở {place} {rng.choice(STORY_DEEDS)}"


def _headings(rng: random.Random, kind: str, topic: dict) -> list[tuple[int, str]]:
    """4 to 8 headings, all different in their ids; guides' steps come first."""
    total = rng.randrange(4, 9)
    found: list[tuple[int, str]] = []
    if kind == "guide":
        steps = min(rng.randrange(3, 7), total - 1)
        chosen = sorted(rng.sample(range(len(topic["steps"])), steps))
        found = [(2, f"Bước {k}: {topic['steps'][j]}") for k, j in enumerate(chosen, 1)]
        extras = rng.sample(HEADINGS["guide"], total - steps)
        # a "###" under a step now and then, then "##" extras after the steps
        if total - steps > 1 and rng.random() < 0.5:
            sub = rng.choice(HEADINGS["guide3"])
            at = rng.randrange(1, steps + 1)
            found.insert(at, (3, sub))
            extras = extras[1:]
        found += [(2, text) for text in extras]
        return found
    pool2, pool3 = HEADINGS[kind], HEADINGS[kind + "3"]
    h3 = rng.randrange(0, 3) if total > 4 else 0
    twos = rng.sample(pool2, total - h3)
    threes = rng.sample(pool3, h3)
    found = [(2, text) for text in twos]
    for sub in threes:  # under some "##", never before the first
        found.insert(rng.randrange(1, len(found) + 1), (3, sub))
    return found


def _front_matter(rng: random.Random, plan: Plan, topic: dict, numbers: set[str]) -> str:
    span = (LAST_DAY - FIRST_DAY).days
    date = FIRST_DAY + dt.timedelta(days=rng.randrange(span + 1))
    tags = list(TOPIC_TAGS[plan.topic][:rng.randrange(0, 2)])
    for tag in rng.choices(TAGS, cum_weights=_TAG_WEIGHTS, k=rng.randrange(1, 4)):
        if tag not in tags and len(tags) < 4:
            tags.append(tag)
    places = rng.choices(LOCATIONS, cum_weights=_PLACE_WEIGHTS, k=rng.randrange(1, 4))
    if plan.kind == "story":  # the story's own commune and former district come first
        places[:2] = [plan.commune, COMMUNE_DISTRICT[plan.commune]]
    locations = sorted(set(places), key=LOCATIONS.index)
    if plan.kind == "policy":
        summary = (f"Tóm tắt dễ hiểu về {rng.choice(topic['policy'])}: ai được hưởng, "
                   f"được gì, làm ở đâu và từ khi nào.")
    elif plan.kind == "guide":
        summary = (f"Các bước để {rng.choice(topic['verbs'])}, viết cho "
                   f"{rng.choice(AUDIENCES)}, có thể nhờ tổ công nghệ số làm cùng.")
    else:
        summary = (f"{_cap(plan.person[1])} {rng.choice(MODALS)} "
                   f"{rng.choice(topic['verbs'])}, {rng.choice(CONNECTORS)} "
                   f"{rng.choice(RESULTS)}.")
    lines = ["---", f"title: {_quote(plan.title)}", f"date: {date.isoformat()}"]
    if rng.random() < 0.2:
        later = min(LAST_DAY, date + dt.timedelta(days=rng.randrange(1, 400)))
        if later > date:
            lines.append(f"updated: {later.isoformat()}")
    lines += [f"summary: {_quote(summary)}",
              "tags: [" + ", ".join(_quote(t) for t in tags) + "]",
              "locations: [" + ", ".join(_quote(p) for p in locations) + "]"]
    if rng.random() < 0.1:
        lines += [f"image: {_quote(IMAGE)}",
                  f"image_alt: {_quote('Hình vẽ cụm loa truyền thanh trên cột ở ấp')}"]
    if plan.kind == "policy":
        doc_type, suffix = rng.choice(DOC_TYPES)
        issued = date - dt.timedelta(days=rng.randrange(0, 30))
        k = rng.randrange(1, 60 if doc_type == "Nghị quyết" else 999)
        while True:  # the next free number: unique, and no endless retries in large sites
            if doc_type == "Nghị quyết":
                number = f"{k}/{issued.year}/{suffix}"
            else:
                number = f"{k}/{suffix}"
            if number not in numbers:
                break
            k += 1
        numbers.add(number)
        effective = issued + dt.timedelta(days=rng.choice([0, 0, 10, 15, 30, 45]))
        lines += [f"doc_type: {_quote(doc_type)}", f"number: {_quote(number)}",
                  f"issuer: {_quote(ISSUERS[suffix])}", f"issued: {issued.isoformat()}",
                  f"effective: {effective.isoformat()}"]
        if rng.random() < 0.3:
            expires = effective + dt.timedelta(days=rng.randrange(365, 5 * 365))
            lines.append(f"expires: {expires.isoformat()}")
    elif plan.kind == "guide":
        steps = sum(1 for level, text in plan.headings if text.startswith("Bước "))
        lines += [f"steps: {steps}", f"duration: {_quote(rng.choice(DURATIONS))}"]
    else:
        commune = plan.commune.replace("Xã ", "xã ")
        hamlet = (f"Khóm {rng.randrange(1, 10)}" if commune.startswith("Phường")
                  else rng.choice(HAMLETS))
        lines += [f"location: {_quote(hamlet + ', ' + commune)}",
                  f"household: {_quote('Gia đình ' + plan.person[0])}"]
    lines.append("---")
    return "\n".join(lines) + "\n"


def _zipf(count: int, exponent: float = 1.0) -> list[float]:
    total, cumulative = 0.0, []
    for rank in range(1, count + 1):
        total += 1 / rank ** exponent
        cumulative.append(total)
    return cumulative


_TAG_WEIGHTS = _zipf(len(TAGS))
_PLACE_WEIGHTS = _zipf(len(LOCATIONS), 0.6)


def _body(writer: Writer, plan: Plan, target: int) -> str:
    """Headings with their paragraphs until about `target` bytes; one list, maybe a
    table and a figure, 2 to 4 links spread over the sections."""
    rng = writer.rng
    topic = TOPICS[plan.topic]
    who = plan.person[1] if plan.kind == "story" else _person(rng)[1]
    sections = len(plan.headings) + 1  # the introduction counts as one
    per_section = target // sections
    links = [writer.link(plan) for _ in range(rng.randrange(2, 5))] if len(writer.plans) > 1 else []
    blocks: dict[int, list[str]] = {}  # lists and tables: paragraphs of their own
    inline: dict[int, list[str]] = {}  # links: a sentence at the end of a paragraph
    blocks.setdefault(rng.randrange(sections), []).append(writer.bullet_list(topic))
    if rng.random() < 0.25:
        blocks.setdefault(rng.randrange(sections), []).append(writer.table(topic))
    for text in links:
        inline.setdefault(rng.randrange(sections), []).append(text)
    stat = writer.stat() if rng.random() < 0.15 else None
    out: list[str] = []
    for s in range(sections):
        if s:
            level, heading = plan.headings[s - 1]
            out.append("#" * level + " " + heading)
        own, sentences = blocks.get(s, []), inline.get(s, [])
        size = sum(len(b.encode()) + 2 for b in own + sentences)
        paragraphs = []
        while True:  # stop at the paragraph that comes closest to the section's share
            para = writer.paragraph(topic, rng.randrange(2, 6), who)
            grown = size + len(para.encode()) + 2
            if paragraphs and grown - per_section > per_section - size:
                break
            paragraphs.append(para)
            size = grown
            if size >= per_section:
                break
        for text in sentences:
            k = rng.randrange(len(paragraphs))
            paragraphs[k] += " " + text
        for block in own:
            paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), block)
        if stat and s == sections // 2:
            paragraphs[0] += " " + stat
        out += paragraphs
    return "\n\n".join(out) + "\n"


def _article_size(rng: random.Random) -> int:
    """Bytes of body to aim for: 4.5-10 KB, about 6.8 KB on average (with front matter, ~7 KB)."""
    return int(rng.triangular(4500, 10000, 6000))


def _index_files(counts: dict[str, int]) -> dict[str, str]:
    home = """---
title: "Thông tin cho mọi nhà ở Bạc Liêu"
description: "Trang thử tải của Loa: chính sách, gương thoát nghèo và hướng dẫn dùng điện thoại, sinh tự động."
---

Trang này được sinh tự động để đo tốc độ của Loa với nhiều bài viết. Bà con có thể đọc [chính sách](policies/_index.md), làm theo [các hướng dẫn từng bước](guides/_index.md), hoặc đọc [gương thoát nghèo](stories/_index.md).
"""
    intros = {
        "policies": ("Tóm tắt dễ hiểu các văn bản về giảm nghèo và giảm nghèo về thông tin.",
                     "Mỗi bài cho biết văn bản nói gì, ai được hưởng, bắt đầu từ khi nào và hỏi ở đâu."),
        "stories": ("Chuyện những gia đình đã dùng chiếc điện thoại để làm ăn, học hỏi và giúp nhau.",
                    "Đây là những câu chuyện được sinh tự động để thử tải, tên người là tên giả."),
        "guides": ("Các bước làm việc trên điện thoại, viết ngắn gọn để bà con tự làm theo.",
                   "Mỗi hướng dẫn chia thành từng bước, có ghi thời gian làm."),
    }
    files = {"content/_index.md": home}
    for name, title, _kind, _share in SECTIONS:
        description, text = intros[name]
        files[f"content/{name}/_index.md"] = (
            f"---\ntitle: {_quote(title)}\ndescription: {_quote(description)}\n---\n\n"
            f"{text} Mục này có {_number(counts[name])} bài.\n")
    return _nfc(files)


def site_config() -> str:
    sections = "".join(f"  - name: {name}\n    title: {_quote(title)}\n    type: {kind}\n"
                       for name, title, kind, _share in SECTIONS)
    menu = "".join(f"  - title: {_quote(title)}\n    url: {url}\n" for title, url in (
        ("Trang chủ", "/"), ("Chính sách", "/policies/"), ("Gương thoát nghèo", "/stories/"),
        ("Hướng dẫn", "/guides/"), ("Số liệu", "/thong-ke/"), ("Chủ đề", "/chu-de/")))
    return _nfc(f"""# Loa benchmark site, generated by bench/corpus.py: do not edit by hand.
title: "Cổng thông tin Giảm nghèo về thông tin (thử tải)"
description: "Trang sinh tự động để đo tốc độ và dung lượng của Loa."
base_url: "https://example.gov.vn/"
language: vi

sections:
{sections}
menu:
{menu}
items_per_page: 10
home_latest: 3
links_to_index_html: true

key_figures:
  - stat: {STAT_POVERTY}
    label: "hộ nghèo, đầu năm 2026"
  - stat: {STAT_PHONES}
    row: "Hồng Dân"
    label: "người lớn ở Hồng Dân dùng điện thoại thông minh"
  - stat: {STAT_TEAMS}
    label: "thành viên tổ công nghệ số cộng đồng"

budgets:
  page_gzip_bytes: 14600
""")


def build_files(n: int, seed: int = SEED) -> dict[str, str]:
    """Every file of the site, by its path relative to the site folder."""
    if n < 1:
        raise ValueError("n must be at least 1")
    rng = random.Random(seed)
    plans = _plan_all(rng, n)
    writer = Writer(rng, plans)
    files = {"site_config.yaml": site_config()}
    files.update(_index_files(section_counts(n)))
    files.update({f"data/{name}": text for name, text in data_files().items()})
    numbers: set[str] = set()
    for plan in plans:
        topic = TOPICS[plan.topic]
        head = _front_matter(rng, plan, topic, numbers)
        body = _body(writer, plan, _article_size(rng) - len(head.encode()))
        files[f"content/{plan.section}/{plan.name}"] = head + "\n" + body
    return files


def write_site(out: Path, files: dict[str, str], force: bool = False) -> None:
    """Write `files` into `out`, which must be empty or missing unless `force`.

    With `force`, the folders and file this script makes (content/, data/, static/,
    site_config.yaml) are removed first, so no article of a larger run lingers."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise SystemExit(f"corpus: {out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise SystemExit(f"corpus: {out} is not empty (use --force to replace the site in it)")
        if (out / "build.py").exists() or (out / "loa").is_dir():
            raise SystemExit(f"corpus: {out} looks like the Loa project itself; refusing")
        for name in ("content", "data", "static"):
            if (out / name).is_dir():
                shutil.rmtree(out / name)
        (out / "site_config.yaml").unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    files = dict(files)
    files["static/images/loa-ap.svg"] = SVG
    folders = sorted({str(Path(p).parent) for p in files})
    for folder in folders:
        (out / folder).mkdir(parents=True, exist_ok=True)
    for path in sorted(files):
        (out / path).write_bytes(files[path].encode("utf-8"))


def generate(n: int, out: Path, seed: int = SEED, force: bool = False) -> dict[str, str]:
    files = build_files(n, seed)
    write_site(out, files, force)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True, help="number of articles")
    parser.add_argument("--out", type=Path, required=True, help="site folder to create")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    parser.add_argument("--force", action="store_true",
                        help="replace the generated site in a non-empty folder")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")
    start = time.perf_counter()
    files = generate(args.n, args.out, args.seed, args.force)
    articles = [t for p, t in files.items()
                if p.startswith("content/") and not p.endswith("_index.md")]
    size = sum(len(t.encode()) for t in articles)
    print(f"{len(articles)} articles, {size / max(1, len(articles)):.0f} bytes of Markdown "
          f"each on average, written to {args.out} in {time.perf_counter() - start:.1f} s",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
