"""How well a profile file's encoding is told from its bytes: ours (``matchmaking.profiles.encoding.decode``)
against charset-normalizer, the maintained detector requests uses, on generated files whose text is known.

A case is read right when the decoded text equals the text written (an encoding name that decodes to the
same text counts, e.g. GBK read as GB18030). A detector that refuses is counted apart from one that
misreads: refusing is allowed, mojibake is not.

    python -m bench.encodings
"""

from __future__ import annotations

import time

from matchmaking.profiles import FileRefused
from matchmaking.profiles.encoding import decode

CODE = "91320594MA1ENC0119"
ZH = f"统一社会信用代码,名称,城市,简介\n{CODE},苏州光刻材料有限公司,苏州,生产KrF光刻胶与高纯试剂\n"
TRAD = f"統一社會信用代碼,名稱,城市,簡介\n{CODE},蘇州光刻材料有限公司,蘇州,生產光刻膠與高純試劑\n"
ASCII_ROWS = f"{CODE},Suzhou Litho Co,Suzhou,KrF photoresist\n" * 3


def cases() -> list[tuple[str, str, bytes]]:
    """(what, text, bytes) for every way a profile file arrives."""
    out = [
        ("utf-8", ZH, ZH.encode("utf-8")),
        ("utf-8 with BOM", ZH, ZH.encode("utf-8-sig")),
        ("GBK", ZH, ZH.encode("gbk")),
        ("GB18030 outside GBK", ZH + f"{CODE},𪚥𠀀科技,南通,厂址𪚥路\n", (ZH + f"{CODE},𪚥𠀀科技,南通,厂址𪚥路\n").encode("gb18030")),
        ("UTF-16 LE with BOM", ZH, ZH.encode("utf-16")),
        ("UTF-16 LE without BOM", ZH, ZH.encode("utf-16-le")),
        ("UTF-16 BE without BOM", ZH, ZH.encode("utf-16-be")),
        ("Big5", TRAD, TRAD.encode("cp950")),
        ("GBK header, ASCII rows", "credit_code,name,city,简介\n" + ASCII_ROWS,
         ("credit_code,name,city,简介\n" + ASCII_ROWS).encode("gbk")),
        ("GBK header only", "统一社会信用代码,名称,城市\n", "统一社会信用代码,名称,城市\n".encode("gbk")),
        ("mostly ASCII, one GBK word", "credit_code,name,city,description\n" + ASCII_ROWS + f"{CODE},Nantong Co,Nantong,医药\n",
         ("credit_code,name,city,description\n" + ASCII_ROWS + f"{CODE},Nantong Co,Nantong,医药\n").encode("gbk")),
    ]
    for word in ("实业", "医药", "系统平台"):  # GBK bytes that are also valid UTF-8
        text = f"credit_code,name,city,description\n{CODE},Acme {word},Suzhou,{word}\n"
        out.append((f"GBK valid as UTF-8 ({word})", text, text.encode("gbk")))
    return out


def ours(data: bytes) -> str | None:
    try:
        return decode(data).text
    except FileRefused:
        return None


def charset_normalizer(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return None if best is None else str(best)


def main() -> None:
    detectors = {"ours": ours, "charset-normalizer": charset_normalizer}
    score = {name: [0, 0, 0, 0.0] for name in detectors}  # right, refused, misread, seconds
    print(f"{'case':<34}" + "".join(f"{name:>20}" for name in detectors))
    for what, text, data in cases():
        row = f"{what:<34}"
        for name, read in detectors.items():
            t0 = time.perf_counter()
            got = read(data)
            score[name][3] += time.perf_counter() - t0
            got = None if got is None else got.lstrip("\ufeff").replace("\r\n", "\n")
            verdict = "refused" if got is None else "right" if got == text else "MISREAD"
            score[name][{"right": 0, "refused": 1, "MISREAD": 2}[verdict]] += 1
            row += f"{verdict:>20}"
        print(row)
    n = len(cases())
    for name, (right, refused, misread, seconds) in score.items():
        print(f"{name}: {right}/{n} read right, {refused} refused, {misread} misread, {seconds * 1000:.1f} ms in all")


if __name__ == "__main__":
    main()
