"""The one table of label synonyms: a label with one meaning maps to one field name whatever its language.

Labels are matched after `label_key` has folded them: lower case, emphasis, emoji, numbering and a
trailing colon (ASCII or full-width) removed, and a qualifier in parentheses dropped when the whole label
is not known (`Root cause (backend)` is `root_cause`). The record keeps the label as written.
"""

from __future__ import annotations

import functools
import re

_SYNONYMS = {
    "root_cause": (
        "root cause|root causes|cause|causes|underlying cause|why it happened|rca|root cause analysis|root-cause|"
        "five whys|root cause hierarchy|análise de causa raiz|análisis de causa raíz|analyse des causes|"
        "根本原因|根因|原因|原因分析|問題原因|根本原因分析|"
        "원인|근본 원인|근본원인|"
        "原因究明|真因|"
        "причина|причины|корневая причина|первопричина|"
        "ursache|grundursache|"
        "cause racine|cause première|causes|"
        "causa|causa raíz|causa raiz|causa principal|causas|"
        "nguyên nhân|penyebab"
    ),
    "resolution": (
        "resolution|fix|fixes|solution|remediation|mitigation|how it was fixed|fixed by|the fix|immediate fix|recovery|"
        "исправления|"
        "解决|解决方案|解决方法|修复|修复方案|處理|解決|解決方案|修正|対応|対処|"
        "해결|해결 방법|조치|수정|"
        "решение проблемы|исправление|устранение|"
        "lösung|behebung|"
        "résolution|correctif|correction|"
        "resolución|solución|corrección|resolução|solução|correção|"
        "khắc phục|giải pháp|perbaikan|solusi"
    ),
    "impact": (
        "impact|impacts|effect|effects|blast radius|customer impact|user impact|business impact|"
        "impacto no cliente|impacto nos usuários|impacto en clientes|"
        "影响|影響|影响范围|影響範圍|"
        "영향|영향 범위|"
        "влияние|последствия для пользователей|"
        "auswirkung|auswirkungen|"
        "impacto|impactos|"
        "dampak|tác động|ảnh hưởng"
    ),
    "symptoms": (
        "symptom|symptoms|what happened|observed|problem|issue|"
        "症状|现象|現象|问题|問題|"
        "증상|현상|문제|"
        "симптом|симптомы|проблема|"
        "symptome|problem|"
        "symptôme|symptômes|problème|"
        "síntoma|síntomas|sintoma|sintomas|problema|"
        "triệu chứng|vấn đề|gejala|masalah"
    ),
    "status": "status|state|estado|statut|état|状态|狀態|状況|ステータス|상태|статус|состояние|trạng thái",
    "decision": (
        "decision|decisions|decision outcome|the decision|we decided|chosen option|"
        "决策|决定|決策|決定|決定事項|結論|"
        "결정|결정 사항|"
        "решение|"
        "entscheidung|beschluss|"
        "décision|"
        "decisión|decisão|"
        "quyết định|keputusan"
    ),
    "rationale": (
        "rationale|reason|reasons|reasoning|why|justification|motivation|because|"
        "理由|原由|依据|根拠|"
        "이유|근거|"
        "обоснование|причина решения|"
        "begründung|grund|"
        "justification|raison|motivation|"
        "razón|justificación|motivación|razão|justificativa|motivação|"
        "lý do|alasan"
    ),
    "consequences": (
        "consequence|consequences|implications|trade-offs|tradeoffs|"
        "后果|影响与后果|結果として|帰結|"
        "결과적 영향|"
        "последствия|"
        "konsequenzen|folgen|"
        "conséquences|"
        "consecuencias|consequências|"
        "hệ quả|konsekuensi"
    ),
    "action_items": (
        "action items|action item|follow-ups|follow ups|followups|follow-up|todo|todos|to do|tasks|"
        "corrective actions|preventive actions|corrective and preventive actions|remediation items|recommendations|"
        "恢复建议|改进建议|建议措施|"
        "follow-up actions|ações corretivas|ações preventivas|acciones correctivas|acciones preventivas|"
        "mesures correctives|改进项|整改措施|行动项|재발방지|재발방지 대책|превентивные меры|"
        "корректирующие действия|"
        "prevention|preventive measures|preventions|"
        "待办|后续行动|后续|改进措施|預防措施|预防措施|再発防止|再発防止策|アクションアイテム|"
        "후속 조치|재발 방지|액션 아이템|"
        "задачи|меры|профилактика|"
        "maßnahmen|massnahmen|"
        "actions à mener|actions correctives|"
        "acciones|tareas|ações|tarefas|"
        "việc cần làm|tindak lanjut"
    ),
    "files": (
        "files|affected files|files affected|files changed|changed files|modified files|file|"
        "文件|修改文件|涉及文件|影響檔案|檔案|変更ファイル|ファイル|"
        "파일|변경 파일|"
        "файлы|затронутые файлы|изменённые файлы|измененные файлы|"
        "dateien|geänderte dateien|"
        "fichiers|fichiers modifiés|"
        "archivos|archivos modificados|arquivos|arquivos alterados|"
        "tệp|file dimodifikasi|file diubah|file yang diubah"
    ),
    "result": (
        "result|results|outcome|outcomes|verification|verified|"
        "结果|結果|成果|"
        "결과|"
        "результат|результаты|итог|"
        "ergebnis|ergebnisse|"
        "résultat|résultats|"
        "resultado|resultados|"
        "kết quả|hasil"
    ),
    "next_steps": (
        "next steps|next step|next|next session|whats next|what's next|upcoming|"
        "下一步|下一步计划|后续计划|次のステップ|今後|"
        "다음 단계|다음|"
        "следующие шаги|дальше|"
        "nächste schritte|"
        "prochaines étapes|"
        "próximos pasos|próximos passos|"
        "bước tiếp theo|langkah selanjutnya"
    ),
    "context": (
        "context|background|context and problem statement|problem statement|"
        "背景|上下文|背景と課題|"
        "배경|맥락|"
        "контекст|предыстория|"
        "kontext|hintergrund|"
        "contexte|"
        "contexto|antecedentes|"
        "bối cảnh|latar belakang"
    ),
    "severity": "severity|priority|impact level|sev|severity level|"
    "严重度|严重程度|严重性|嚴重程度|重要度|深刻度|심각도|серьёзность|серьезность|"
    "schweregrad|sévérité|gravité|severidad|severidade|gravidade|mức độ",
    "date": "date|when|incident date|date of incident|data do incidente|fecha del incidente|date de l'incident|"
    "data|datum|fecha|日期|日付|날짜|дата|ngày|tanggal|created|updated|last updated|"
    "decision date|date of decision|data da decisão|fecha de la decisión|date de la décision|дата решения|决策日期",
    "observation": "observation|observations|observed behaviour|观察|観察|관찰|наблюдение|beobachtung|"
    "observación|observação",
    "hypothesis": "hypothesis|hypotheses|假设|仮説|가설|гипотеза|hypothese|hypothèse|hipótesis|hipótese",
    "actions": (
        "action|actions|what i did|what we did|changes|changes made|done|implementation|what changed|"
        "修改|修改项目|修改項目|修改內容|修改内容|变更|變更|改动|实现|做了什么|今日やったこと|やったこと|変更内容|実装|"
        "변경 사항|변경|작업|한 일|"
        "изменения|что сделано|сделано|реализация|"
        "änderungen|umsetzung|"
        "modifications|changements|réalisé|"
        "cambios|acción|implementación|mudanças|alterações|ação|implementação|"
        "thay đổi|perubahan|deskripsi"
    ),
    "summary": "summary|tl;dr|tldr|overview|description|executive summary|incident summary|"
    "摘要|概要|总结|概述|요약|개요|резюме|обзор|описание|"
    "zusammenfassung|überblick|résumé|aperçu|resumen|resumo|descrição|descripción|tóm tắt|ringkasan",
    "alternatives": "alternatives|alternatives considered|considered options|options|options considered|"
    "备选方案|替代方案|"
    "選択肢|代替案|대안|альтернативы|рассмотренные варианты|alternativen|optionen|alternatives considérées|"
    "options envisagées|alternativas|opciones|opções",
    "deciders": "deciders|decision-makers|decision makers|决策者|決定者|결정자|принявшие решение|entscheider|décideurs|"
    "decisores",
    "author": "author|authors|by|owner|agent|作者|負責人|担当|작성자|автор|autor|auteur|autor/agente",
    "lessons": "lessons|lessons learned|lessons learnt|what i learned|what we learned|learning|learnings|takeaways|"
    "what went well|what went wrong|where we got lucky|what went poorly|"
    "lições aprendidas|lecciones aprendidas|leçons apprises|извлечённые уроки|извлеченные уроки|后续与教训|"
    "经验|教训|经验教训|"
    "学び|学んだこと|ハマったポイント|교훈|배운 점|уроки|выводы|lektionen|erkenntnisse|leçons|enseignements|"
    "lecciones|aprendizajes|lições|aprendizados",
    "services": "services|services affected|affected services|components|affected components|受影响服务|影响服务|"
    "サービス|영향 서비스|сервисы|dienste|services affectés|servicios afectados|serviços afetados",
    "timeline": "timeline|time line|chronology|timeline of events|incident timeline|sequence of events|"
    "时间轴|経緯|ход событий|zeitverlauf|déroulement|línea de tiempo|cronologia|"
    "时间线|時間線|タイムライン|경과|타임라인|хронология|zeitleiste|"
    "chronologie|cronología|linha do tempo",
    "type": "type|kind|category|类型|類型|種類|유형|тип|typ|tipo|jenis|loại",
    "detection": "detection|how it was detected|how was it detected|how we found out|how we noticed|detected by|"
    "发现方式|如何发现|検知|発見の経緯|감지|탐지|обнаружение|как обнаружили|erkennung|détection|detección|detecção",
    "contributing_factors": "contributing factors|contributing factor|contributing causes|fatores contribuintes|"
    "factores contribuyentes|facteurs contributifs|促成因素|次要原因|寄与要因|기여 요인|способствующие факторы|"
    "сопутствующие факторы|beitragende faktoren",
    "related": "related|references|see also|links|相关|関連|참고|ссылки|siehe auch|voir aussi|referencias|referências|"
    "referenzen|verweise|参考|参考资料|références",
}

_KEYS: dict[str, str] = {
    synonym.strip(): field for field, words in _SYNONYMS.items() for synonym in words.split("|") if synonym.strip()
}

_LEAD = re.compile(r"^[\W\d_]*?(?=[^\W\d_])", re.UNICODE)
_QUALIFIER = re.compile(r"\s*[(（][^)）]*[)）]\s*")


@functools.lru_cache(maxsize=16384)
def label_key(label: str) -> str:
    """A label folded for lookup: `**🔍 Root Cause (backend):**` -> `root cause (backend)`."""
    text = label.replace("*", "").replace("_", " ").replace("`", "").strip()
    text = text.rstrip(":：.。-—– ").strip()
    text = _LEAD.sub("", text)
    return " ".join(text.lower().split())


@functools.lru_cache(maxsize=16384)
def field_of(label: str) -> str | None:
    """The field a label means, or None."""
    key = label_key(label)
    found = _KEYS.get(key)
    if found is None and ("(" in key or "（" in key):
        found = _KEYS.get(label_key(_QUALIFIER.sub(" ", key)))
    return found


def synonyms(name: str) -> tuple[str, ...]:
    """Every label (folded) that means field `name`, in every language of the table."""
    return tuple(label for label, found in _KEYS.items() if found == name)
