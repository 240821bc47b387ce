"""The certificate of a completed application: a PDF with its Chinese text in an embedded font and a QR
code that opens the public verification (GET /certificates/{number})."""

import io
from pathlib import Path

import segno
from fpdf import FPDF

from api_client import models as wire

FONT = Path(__file__).resolve().parents[2] / "assets" / "fonts" / "NotoSansSC-Common.otf"
SEAL_RED = (200, 30, 30)


def certificate_pdf(
    detail: wire.ApplicationDetail, applicant_name: str, verify_url: str, issuer: wire.Department
) -> bytes:
    assert detail.certificate is not None
    pdf = FPDF(format="A4")
    pdf.set_title(f"办理结果证明 {detail.certificate.number}")
    pdf.set_creator("一网通办")
    pdf.add_page()
    pdf.add_font("NotoSansSC", fname=str(FONT))
    pdf.set_font("NotoSansSC", size=24)
    pdf.set_text_color(*SEAL_RED)
    pdf.cell(0, 16, "办理结果证明", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("NotoSansSC", size=11)
    pdf.cell(0, 8, f"证书编号：{detail.certificate.number}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    approvers = "、".join(step.department.name for step in detail.steps)
    rows = [
        ("办件编号", detail.number),
        ("事项名称", detail.item_name),
        ("事项编码", detail.item_code),
        ("申请人", applicant_name),
        ("办理结果", "准予办理"),
        ("实施部门", detail.department.name),
        ("并联审批部门", approvers),
        ("办结日期", f"{detail.certificate.issued_at:%Y年%m月%d日}"),
    ]
    pdf.set_font("NotoSansSC", size=13)
    for label, value in rows:
        pdf.cell(40, 10, f"{label}：")
        pdf.multi_cell(0, 10, value, new_x="LMARGIN", new_y="NEXT")
    qr = segno.make(verify_url, error="m")
    image = io.BytesIO()
    qr.save(image, kind="png", scale=4, border=2)
    image.seek(0)
    top = pdf.get_y() + 10
    pdf.image(image, x=20, y=top, w=40, h=40)
    pdf.set_xy(66, top + 8)
    pdf.set_font("NotoSansSC", size=10)
    pdf.multi_cell(0, 6, f"扫描二维码核验本证明的真实性\n{verify_url}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(110, top + 50)
    pdf.set_font("NotoSansSC", size=13)
    pdf.cell(0, 10, f"{issuer.name}（盖章）", align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
