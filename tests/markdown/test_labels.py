"""One synonym table: a label with one meaning maps to one field whatever the language or style."""

from __future__ import annotations

import pytest

from whylog.markdown.labels import field_of, label_key

SYNONYMS = {
    "root_cause": [
        "Root Cause",
        "Root cause (backend)",
        "根本原因",
        "原因",
        "근본 원인",
        "原因究明",
        "Причина",
        "Ursache",
        "Cause racine",
        "Causa raíz",
        "Causa raiz",
    ],
    "resolution": [
        "Resolution",
        "Fix",
        "解决方案",
        "解決",
        "해결",
        "Исправление",
        "Lösung",
        "Correctif",
        "Solución",
        "Solução",
    ],
    "impact": ["Impact", "影响", "影響", "영향", "Влияние", "Auswirkungen", "Impacto", "Dampak"],
    "symptoms": ["Symptoms", "症状", "증상", "Симптомы", "Symptome", "Symptômes", "Síntomas", "Sintomas"],
    "status": ["Status", "状态", "狀態", "ステータス", "상태", "Статус", "Statut", "Estado"],
    "decision": ["Decision", "决策", "決定", "결정", "Решение", "Entscheidung", "Décision", "Decisión", "Decisão"],
    "rationale": ["Rationale", "理由", "이유", "Обоснование", "Begründung", "Justification", "Razón", "Justificativa"],
    "consequences": [
        "Consequences",
        "后果",
        "Последствия",
        "Konsequenzen",
        "Conséquences",
        "Consecuencias",
        "Consequências",
    ],
    "action_items": ["Action Items", "后续行动", "再発防止策", "후속 조치", "Задачи", "Maßnahmen", "Acciones", "Ações"],
    "files": [
        "Affected Files",
        "影響檔案",
        "修改文件",
        "변경 파일",
        "Затронутые файлы",
        "Geänderte Dateien",
        "Fichiers modifiés",
        "Archivos modificados",
        "File Dimodifikasi",
    ],
    "result": ["Result", "结果", "結果", "결과", "Результат", "Ergebnis", "Résultat", "Resultado"],
    "next_steps": [
        "Next Steps",
        "下一步",
        "次のステップ",
        "다음 단계",
        "Следующие шаги",
        "Nächste Schritte",
        "Prochaines étapes",
        "Próximos pasos",
        "Próximos passos",
    ],
}
CASES = [(label, name) for name, labels in SYNONYMS.items() for label in labels]


@pytest.mark.parametrize(("label", "name"), CASES, ids=[c[0] for c in CASES])
def test_label_maps_to_its_field(label: str, name: str) -> None:
    assert field_of(label) == name


@pytest.mark.parametrize("style", ["**{}:**", "**{}**:", "{}:", "{}：", "🔍 {}", "1. {}", "{} ", "`{}`"])
def test_label_styles_fold_to_one_key(style: str) -> None:
    assert field_of(style.format("Root Cause")) == "root_cause"
    assert label_key(style.format("Root Cause")) == "root cause"


def test_prose_is_no_label() -> None:
    assert field_of("We looked at the logs for an hour") is None
