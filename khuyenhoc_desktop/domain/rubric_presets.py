"""The rubrics shipped with the app, installed into a data folder on first use.

QĐ 448/QĐ-KHVN fixes the criteria of families, clans, hamlet communities and units and a few point values
(families: children's learning 30 points, of which 10 for all school-age children at school); the other
point values and the indicator wording here complete that structure sensibly and are meant to be edited
to the province's own guidance. The citizens' rubric follows QĐ 244/QĐ-KHVN (2022) as revised by
QĐ 324/QĐ-KHVN (2023): ten indicators of ten points, pass with 80 and no indicator under 5.
"""

from __future__ import annotations

from khuyenhoc_desktop.domain.rubric import Criterion, Indicator, Rubric
from khuyenhoc_desktop.domain.titles import TITLE_LABELS, Title

# The one fact the app can compute for a family: every school-age member is at school (see services.prefill).
SCHOOL_AGE_CHILDREN_IN_SCHOOL = "school_age_children_in_school"

_BASIS_448 = "Theo cấu trúc QĐ 448/QĐ-KHVN (2016); điểm từng chỉ tiêu có thể sửa cho phù hợp hướng dẫn của tỉnh"
_BASIS_CITIZEN = "QĐ 244/QĐ-KHVN (2022), sửa đổi theo QĐ 324/QĐ-KHVN (2023); nội dung chỉ tiêu có thể sửa"

_Spec = tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # (criterion, ((indicator text, max points), …))


def _criteria(spec: _Spec, prefill: dict[str, str] | None = None) -> tuple[Criterion, ...]:
    """Number the indicators "1.1", "1.2", … by criterion, as the decision prints them."""
    prefill = prefill or {}

    def indicator(code: str, text: str, points: int) -> Indicator:
        return Indicator(code, text, points, prefill=prefill.get(code, ""))

    return tuple(
        Criterion(name, tuple(indicator(f"{i}.{j}", text, points) for j, (text, points) in enumerate(items, start=1)))
        for i, (name, items) in enumerate(spec, start=1)
    )


def _rubric_448(title: str, criteria: tuple[Criterion, ...]) -> Rubric:
    return Rubric(
        title=title,
        name=TITLE_LABELS[title],
        version=1,
        pass_mark=80,
        criteria=criteria,
        valid_from=2016,
        basis=_BASIS_448,
    )


FAMILY = _rubric_448(
    Title.FAMILY,
    _criteria(
        (
            (
                "Học tập của trẻ em",
                (
                    ("Tất cả trẻ em trong độ tuổi đi học đều được đến trường", 10),
                    ("Trẻ em đi học chuyên cần, được lên lớp hoặc hoàn thành chương trình học", 10),
                    ("Trẻ em được gia đình quan tâm, hướng dẫn tự học ở nhà", 5),
                    ("Trẻ em tham gia các hoạt động văn hóa, thể thao, vui chơi lành mạnh ở trường và ở địa phương", 5),
                ),
            ),
            (
                "Học tập của người lớn",
                (
                    ("Người lớn trong gia đình đều biết chữ, không có người tái mù chữ", 10),
                    (
                        "Mỗi người lớn tham gia ít nhất một hình thức học tập trong năm (tập huấn, học nghề, "
                        "sinh hoạt chuyên đề tại trung tâm học tập cộng đồng…)",
                        10,
                    ),
                    ("Người lớn thường xuyên tự học qua sách báo, đài, ti vi, internet", 10),
                ),
            ),
            (
                "Điều kiện học tập",
                (
                    ("Có góc học tập hoặc chỗ học phù hợp cho trẻ em", 5),
                    ("Có sách, báo, tài liệu hoặc phương tiện nghe nhìn, thiết bị kết nối internet để học tập", 5),
                    ("Gia đình dành thời gian và kinh phí cho việc học tập của các thành viên", 5),
                    ("Gia đình tham gia Hội Khuyến học hoặc đóng góp quỹ khuyến học", 5),
                ),
            ),
            (
                "Tác động của học tập đối với gia đình",
                (
                    ("Kinh tế gia đình ổn định hoặc được cải thiện nhờ vận dụng kiến thức đã học", 5),
                    ("Gia đình hòa thuận, được công nhận Gia đình văn hóa", 5),
                    ("Các thành viên chấp hành tốt pháp luật, không mắc tệ nạn xã hội", 5),
                    ("Giữ gìn vệ sinh môi trường, nếp sống văn minh, chăm lo sức khỏe", 5),
                ),
            ),
        ),
        prefill={"1.1": SCHOOL_AGE_CHILDREN_IN_SCHOOL},
    ),
)

CLAN = _rubric_448(
    Title.CLAN,
    _criteria(
        (
            (
                "Phong trào học tập trong dòng họ",
                (
                    ("Từ 70% số hộ trong dòng họ trở lên được công nhận Gia đình học tập", 15),
                    ("Trẻ em trong độ tuổi đi học của dòng họ đều được đến trường, không có trẻ bỏ học", 10),
                    ("Người lớn trong dòng họ tham gia học tập thường xuyên, không có người tái mù chữ", 10),
                    ("Dòng họ có người đạt thành tích học tập, lao động được các cấp khen thưởng", 5),
                ),
            ),
            (
                "Điều kiện học tập của dòng họ",
                (
                    ("Có ban khuyến học hoặc người phụ trách công tác khuyến học của dòng họ", 10),
                    ("Có quỹ khuyến học của dòng họ, thu chi công khai, minh bạch", 10),
                    ("Hằng năm tổ chức khen thưởng, động viên con cháu học tốt và người vượt khó", 10),
                ),
            ),
            (
                "Tác động của học tập đối với dòng họ",
                (
                    ("Kinh tế các hộ trong dòng họ ổn định, giảm số hộ nghèo", 10),
                    ("Dòng họ đoàn kết, giữ gìn và phát huy truyền thống hiếu học", 10),
                    ("Các thành viên chấp hành tốt pháp luật, không mắc tệ nạn xã hội", 10),
                ),
            ),
        )
    ),
)

COMMUNITY = _rubric_448(
    Title.COMMUNITY,
    _criteria(
        (
            (
                "Xây dựng gia đình học tập, dòng họ học tập, đơn vị học tập",
                (
                    ("Từ 70% số hộ trong ấp trở lên được công nhận Gia đình học tập", 15),
                    ("Dòng họ, đơn vị trên địa bàn ấp đạt danh hiệu Dòng họ học tập, Đơn vị học tập", 10),
                    ("Trẻ em trong độ tuổi đi học đều được đến trường, không có trẻ bỏ học", 5),
                ),
            ),
            (
                "Hoạt động học tập của cộng đồng",
                (
                    ("Tổ chức sinh hoạt chuyên đề, phổ biến kiến thức, pháp luật tại nhà văn hóa ấp", 10),
                    ("Từ 70% người lớn trở lên tham gia các lớp học tại trung tâm học tập cộng đồng", 10),
                    ("Chi hội khuyến học của ấp hoạt động đều, có kế hoạch hằng năm", 10),
                ),
            ),
            (
                "Điều kiện học tập của cộng đồng",
                (
                    ("Có nơi sinh hoạt học tập chung: nhà văn hóa, tủ sách, điểm đọc sách", 10),
                    ("Có quỹ khuyến học của ấp, được vận động và sử dụng hiệu quả", 10),
                ),
            ),
            (
                "Tác động của học tập đối với cộng đồng",
                (
                    ("Đời sống kinh tế của người dân được nâng lên, giảm tỷ lệ hộ nghèo", 10),
                    ("Giữ vững an ninh trật tự, được công nhận Ấp văn hóa", 10),
                ),
            ),
        )
    ),
)

UNIT = _rubric_448(
    Title.UNIT,
    _criteria(
        (
            (
                "Học tập của cán bộ, công chức, người lao động",
                (
                    ("Đơn vị có kế hoạch học tập, bồi dưỡng hằng năm cho cán bộ, người lao động", 10),
                    ("Từ 80% cán bộ, người lao động trở lên tham gia học tập, bồi dưỡng trong năm", 15),
                    ("Cán bộ, người lao động tự học nâng cao trình độ chuyên môn, ngoại ngữ, tin học", 15),
                ),
            ),
            (
                "Điều kiện học tập của đơn vị",
                (
                    ("Bố trí thời gian và kinh phí cho việc học tập của cán bộ, người lao động", 10),
                    ("Có tủ sách, thư viện, máy tính kết nối internet phục vụ học tập", 10),
                    ("Có chi hội hoặc ban khuyến học, kịp thời động viên, khen thưởng người học tốt", 10),
                ),
            ),
            (
                "Tác động của học tập đối với đơn vị",
                (
                    ("Đơn vị hoàn thành tốt nhiệm vụ, năng suất và chất lượng công việc được nâng lên", 15),
                    ("Nội bộ đoàn kết, không có cán bộ, người lao động vi phạm pháp luật, kỷ luật", 10),
                    ("Đơn vị tham gia phong trào khuyến học, khuyến tài ở địa phương", 5),
                ),
            ),
        )
    ),
)


def _citizen() -> Rubric:
    """Codes are "1" … "10" across the three groups, so a reason reads "chỉ tiêu 4 dưới 5 điểm"."""
    groups = (
        (
            "Học tập thường xuyên",
            (
                "Có kế hoạch học tập của bản thân hằng năm và thực hiện đầy đủ",
                "Tham gia học tập, bồi dưỡng nâng cao trình độ chuyên môn, nghiệp vụ, nghề nghiệp",
                "Tự học qua sách báo, tài liệu, các phương tiện thông tin và trên nền tảng số",
                "Có kỹ năng số, sử dụng được thiết bị công nghệ và dịch vụ công trực tuyến",
            ),
        ),
        (
            "Vận dụng kết quả học tập",
            (
                "Vận dụng kiến thức đã học nâng cao năng suất, hiệu quả lao động, cải thiện đời sống",
                "Có kỹ năng sống, giữ gìn sức khỏe, xây dựng gia đình hạnh phúc",
                "Chấp hành tốt chủ trương của Đảng, chính sách, pháp luật của Nhà nước và quy định ở địa phương",
            ),
        ),
        (
            "Lan tỏa và hỗ trợ học tập",
            (
                "Chia sẻ kiến thức, hướng dẫn người thân và cộng đồng cùng học tập",
                "Tham gia xây dựng Gia đình học tập, Dòng họ học tập, Cộng đồng học tập, Đơn vị học tập",
                "Tham gia các hoạt động khuyến học, khuyến tài, xây dựng xã hội học tập",
            ),
        ),
    )
    numbers = iter(range(1, 11))
    criteria = tuple(
        Criterion(name, tuple(Indicator(str(next(numbers)), text, 10, 5) for text in texts)) for name, texts in groups
    )
    return Rubric(
        title=Title.CITIZEN,
        name=TITLE_LABELS[Title.CITIZEN],
        version=1,
        pass_mark=80,
        criteria=criteria,
        valid_from=2022,
        basis=_BASIS_CITIZEN,
    )


CITIZEN = _citizen()

# (preset key, rubric): the key ties a stored rubric and its later versions to the preset it came from.
PRESETS: tuple[tuple[str, Rubric], ...] = (
    ("gia_dinh_448", FAMILY),
    ("dong_ho_448", CLAN),
    ("cong_dong_448", COMMUNITY),
    ("don_vi_448", UNIT),
    ("cong_dan_244_324", CITIZEN),
)
