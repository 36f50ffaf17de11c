#include "domain/report/ReportPdf.h"

#include <map>
#include <stdexcept>
#include <vector>

#include <hpdf.h>

#include "domain/Laterality.h"
#include "domain/report/ReportValues.h"

namespace relais::report {

namespace {

struct PdfError {
  HPDF_STATUS error = HPDF_OK;
  HPDF_STATUS detail = 0;
};

// libharu is C: never unwind through it. The handler only records; we throw afterwards.
void OnPdfError(HPDF_STATUS error, HPDF_STATUS detail, void* userData) {
  auto* state = static_cast<PdfError*>(userData);
  if (state->error == HPDF_OK) {
    state->error = error;
    state->detail = detail;
  }
}

const std::map<std::string, std::pair<const char*, const char*>>& Words() {
  // key -> (fr, en)
  static const std::map<std::string, std::pair<const char*, const char*>> words = {
      {"patient", {"Patient", "Patient"}},
      {"id", {"Identifiant", "Patient ID"}},
      {"born", {"Né(e) le", "Date of birth"}},
      {"sex", {"Sexe", "Sex"}},
      {"study", {"Examen", "Study"}},
      {"study-date", {"Date de l'examen", "Study date"}},
      {"accession", {"N° d'examen", "Accession number"}},
      {"unit", {"Unité", "Unit"}},
      {"request", {"Demande", "Request"}},
      {"specialty", {"Spécialité", "Specialty"}},
      {"priority", {"Priorité", "Priority"}},
      {"question", {"Question posée", "Clinical question"}},
      {"history", {"Antécédents", "History"}},
      {"body-site", {"Localisation", "Body site"}},
      {"findings", {"Compte rendu", "Report"}},
      {"author", {"Signé par", "Signed by"}},
      {"signed-at", {"Le", "On"}},
      {"version", {"Version", "Version"}},
      {"amended", {"Compte rendu rectificatif : remplace la version", "Amended report: replaces version"}},
      {"reason", {"Motif de la rectification", "Reason for amendment"}},
      {"case", {"Dossier", "Case"}},
      {"images", {"Images examinées", "Images evaluated"}},
      // The request's specialty (a queue id) and priority, as the reader of the report says them.
      {"specialty:dermatology", {"Dermatologie", "Dermatology"}},
      {"specialty:obstetrics-gynaecology", {"Gynécologie-obstétrique", "Obstetrics and gynaecology"}},
      {"specialty:paediatrics", {"Pédiatrie", "Paediatrics"}},
      {"specialty:radiology", {"Radiologie", "Radiology"}},
      {"specialty:pneumology", {"Pneumologie", "Pneumology"}},
      {"specialty:internal-medicine", {"Médecine interne", "Internal medicine"}},
      {"specialty:triage", {"Tri", "Triage"}},
      {"priority:urgent", {"Urgent", "Urgent"}},
      {"priority:routine", {"Normale", "Routine"}},
  };
  return words;
}

std::string Word(const std::string& key, const std::string& language) {
  const auto& entry = Words().at(key);
  return language == "en" ? entry.second : entry.first;
}

// A coded value's word in `language` ("specialty:" + queue id, say), or the value as it is when
// the list has none (a queue a hub's rules added).
std::string WordFor(const std::string& kind, const std::string& value, const std::string& language) {
  const std::string key = kind + ":" + value;
  return Words().count(key) ? Word(key, language) : value;
}

std::string DisplayDate(const std::string& dicomDate) {
  if (dicomDate.size() != 8) return dicomDate;
  return dicomDate.substr(0, 4) + "-" + dicomDate.substr(4, 2) + "-" + dicomDate.substr(6, 2);
}

// Lays text out top to bottom on A4 pages with word wrapping, starting new pages as needed.
class PdfWriter {
 public:
  PdfWriter() : pdf_(HPDF_New(OnPdfError, &error_)) {
    if (pdf_ == nullptr) throw std::runtime_error("PDF: libharu cannot start");
    HPDF_SetCompressionMode(pdf_, HPDF_COMP_ALL);
    regular_ = HPDF_GetFont(pdf_, "Helvetica", "WinAnsiEncoding");
    bold_ = HPDF_GetFont(pdf_, "Helvetica-Bold", "WinAnsiEncoding");
    newPage();
  }
  ~PdfWriter() { HPDF_Free(pdf_); }
  PdfWriter(const PdfWriter&) = delete;
  PdfWriter& operator=(const PdfWriter&) = delete;

  void info(HPDF_InfoType type, const std::string& utf8) { HPDF_SetInfoAttr(pdf_, type, ToWindows1252(utf8).c_str()); }

  // A paragraph wrapped to the text width; `indent` in points.
  void paragraph(const std::string& utf8, float size, bool bold = false, float indent = 0) {
    HPDF_Font font = bold ? bold_ : regular_;
    const float width = kRight - kLeft - indent;
    for (const std::string& line : wrap(ToWindows1252(utf8), font, size, width)) {
      if (y_ - size * kLeading < kBottom) newPage();
      y_ -= size * kLeading;
      HPDF_Page_BeginText(page_);
      HPDF_Page_SetFontAndSize(page_, font, size);
      HPDF_Page_TextOut(page_, kLeft + indent, y_, line.c_str());
      HPDF_Page_EndText(page_);
    }
  }

  // "Label: value" with the label in bold and the value wrapped after it.
  void labelled(const std::string& label, const std::string& value, float size = 10) {
    if (value.empty()) return;
    paragraph(label, size, true);
    paragraph(value, size, false, 14);
  }

  void space(float points) { y_ -= points; }

  void rule() {
    if (y_ - 8 < kBottom) newPage();
    y_ -= 6;
    HPDF_Page_SetLineWidth(page_, 0.5);
    HPDF_Page_MoveTo(page_, kLeft, y_);
    HPDF_Page_LineTo(page_, kRight, y_);
    HPDF_Page_Stroke(page_);
    y_ -= 4;
  }

  std::string bytes() {
    if (HPDF_SaveToStream(pdf_) != HPDF_OK) fail("saving");
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf_);
    std::string out(size, '\0');
    if (HPDF_ReadFromStream(pdf_, reinterpret_cast<HPDF_BYTE*>(out.data()), &size) != HPDF_OK && size == 0) {
      fail("reading the stream");
    }
    out.resize(size);
    if (error_.error != HPDF_OK) fail("drawing");
    return out;
  }

 private:
  static constexpr float kLeft = 56, kRight = 539, kBottom = 56, kTop = 786, kLeading = 1.35f;

  [[noreturn]] void fail(const std::string& when) {
    char code[16];
    snprintf(code, sizeof code, "0x%04X", static_cast<unsigned>(error_.error));
    throw std::runtime_error("PDF: libharu error " + std::string(code) + " while " + when);
  }

  void newPage() {
    page_ = HPDF_AddPage(pdf_);
    HPDF_Page_SetSize(page_, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    y_ = kTop;
  }

  float textWidth(const std::string& text, HPDF_Font font, float size) {
    HPDF_Page_SetFontAndSize(page_, font, size);
    return HPDF_Page_TextWidth(page_, text.c_str());
  }

  std::vector<std::string> wrap(const std::string& text, HPDF_Font font, float size, float width) {
    std::vector<std::string> lines;
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = text.find('\n', start);
      std::string paragraphText = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
      std::string line;
      size_t pos = 0;
      while (pos < paragraphText.size()) {
        size_t next = paragraphText.find(' ', pos);
        std::string word = paragraphText.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
        pos = next == std::string::npos ? paragraphText.size() : next + 1;
        std::string candidate = line.empty() ? word : line + " " + word;
        if (textWidth(candidate, font, size) <= width) {
          line = candidate;
          continue;
        }
        if (!line.empty()) lines.push_back(line);
        // A single word wider than the line is cut where it overflows.
        while (textWidth(word, font, size) > width && word.size() > 1) {
          size_t cut = word.size() - 1;
          while (cut > 1 && textWidth(word.substr(0, cut), font, size) > width) --cut;
          lines.push_back(word.substr(0, cut));
          word = word.substr(cut);
        }
        line = word;
      }
      lines.push_back(line);
      if (end == std::string::npos) break;
      start = end + 1;
    }
    return lines;
  }

  PdfError error_;
  HPDF_Doc pdf_;
  HPDF_Font regular_ = nullptr;
  HPDF_Font bold_ = nullptr;
  HPDF_Page page_ = nullptr;
  float y_ = kTop;
};

}  // namespace

std::string ToWindows1252(const std::string& utf8) {
  static const std::map<unsigned, char> special = {
      {0x20AC, '\x80'}, {0x201A, '\x82'}, {0x0192, '\x83'}, {0x201E, '\x84'}, {0x2026, '\x85'}, {0x2020, '\x86'},
      {0x2021, '\x87'}, {0x02C6, '\x88'}, {0x2030, '\x89'}, {0x0160, '\x8A'}, {0x2039, '\x8B'}, {0x0152, '\x8C'},
      {0x017D, '\x8E'}, {0x2018, '\x91'}, {0x2019, '\x92'}, {0x201C, '\x93'}, {0x201D, '\x94'}, {0x2022, '\x95'},
      {0x2013, '\x96'}, {0x2014, '\x97'}, {0x02DC, '\x98'}, {0x2122, '\x99'}, {0x0161, '\x9A'}, {0x203A, '\x9B'},
      {0x0153, '\x9C'}, {0x017E, '\x9E'}, {0x0178, '\x9F'}};
  std::string out;
  for (size_t i = 0; i < utf8.size();) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    unsigned codePoint = 0;
    size_t length = 1;
    if (c < 0x80) codePoint = c;
    else if ((c & 0xE0) == 0xC0) codePoint = c & 0x1F, length = 2;
    else if ((c & 0xF0) == 0xE0) codePoint = c & 0x0F, length = 3;
    else if ((c & 0xF8) == 0xF0) codePoint = c & 0x07, length = 4;
    else length = 0;  // stray continuation byte
    bool valid = length > 0 && i + length <= utf8.size();
    for (size_t k = 1; valid && k < length; ++k) {
      unsigned char cc = static_cast<unsigned char>(utf8[i + k]);
      if ((cc & 0xC0) != 0x80) valid = false;
      codePoint = (codePoint << 6) | (cc & 0x3F);
    }
    if (!valid) {
      out += '?';
      ++i;
      continue;
    }
    i += length;
    if (codePoint == '\t') out += ' ';
    else if (codePoint < 0x20 && codePoint != '\n') continue;
    else if (codePoint < 0x80 || (codePoint >= 0xA0 && codePoint <= 0xFF)) out += static_cast<char>(codePoint);
    else if (auto it = special.find(codePoint); it != special.end()) out += it->second;
    else out += '?';
  }
  return out;
}

std::string RenderReportPdf(const ReportDocument& d, const ReportTemplate& t) {
  const std::string& lang = d.language;
  PdfWriter pdf;
  pdf.info(HPDF_INFO_TITLE, t.title.in(lang));
  pdf.info(HPDF_INFO_AUTHOR, d.author.name);
  pdf.info(HPDF_INFO_CREATOR, d.hubName);

  pdf.paragraph(d.hubName, 9);
  pdf.paragraph(t.title.in(lang), 16, true);
  pdf.paragraph(Word("case", lang) + " " + std::to_string(d.caseId) + " - " + Word("version", lang) + " " +
                    std::to_string(d.version),
                9);
  if (d.isAmendment()) pdf.paragraph(Word("amended", lang) + " " + std::to_string(d.version - 1), 10, true);
  pdf.rule();

  pdf.paragraph(Word("patient", lang), 12, true);
  pdf.paragraph(ReadablePersonName(d.patient.name), 14, true);
  std::string identity = Word("id", lang) + ": " + d.patient.id;
  if (!d.patient.issuer.empty()) identity += " (" + d.patient.issuer + ")";
  if (!d.patient.birthDate.empty()) identity += "   " + Word("born", lang) + ": " + DisplayDate(d.patient.birthDate);
  if (!d.patient.sex.empty()) identity += "   " + Word("sex", lang) + ": " + d.patient.sex;
  pdf.paragraph(identity, 10);
  std::string study = Word("study-date", lang) + ": " + DisplayDate(d.study.studyDate);
  if (!d.study.accessionNumber.empty()) study += "   " + Word("accession", lang) + ": " + d.study.accessionNumber;
  std::string unit = d.request.unit;
  if (!d.study.institution.empty()) unit = d.study.institution + (unit.empty() ? "" : " (" + unit + ")");
  if (!unit.empty()) study += "   " + Word("unit", lang) + ": " + unit;
  pdf.paragraph(study, 10);
  pdf.rule();

  pdf.paragraph(Word("request", lang), 12, true);
  pdf.labelled(Word("specialty", lang), WordFor("specialty", d.request.specialty, lang));
  pdf.labelled(Word("priority", lang), WordFor("priority", d.request.priority, lang));
  pdf.labelled(Word("question", lang), d.request.question);
  pdf.labelled(Word("history", lang), d.request.history);
  pdf.labelled(Word("body-site", lang),
               BodySiteWithSide(d.request.bodySite, ParseLateralityCode(d.request.laterality), lang));
  pdf.rule();

  pdf.paragraph(Word("findings", lang), 12, true);
  for (const auto& section : t.sections) {
    bool any = false;
    for (const auto& f : section.fields) any = any || IsGiven(d.values, f.id);
    if (!any) continue;
    pdf.space(4);
    pdf.paragraph(section.label.in(lang), 11, true);
    for (const auto& f : section.fields) {
      if (!IsGiven(d.values, f.id)) continue;
      pdf.labelled(f.label.in(lang), DisplayValue(f, d.values.at(f.id), lang));
    }
  }
  if (d.isAmendment() && !d.amendmentReason.empty()) {
    pdf.space(4);
    pdf.labelled(Word("reason", lang), d.amendmentReason);
  }
  if (!d.evaluatedInstances.empty()) {
    pdf.space(4);
    pdf.paragraph(Word("images", lang) + ": " + std::to_string(d.evaluatedInstances.size()), 9);
  }
  pdf.rule();

  std::string author = Word("author", lang) + ": " + ReadablePersonName(d.author.name);
  if (!d.author.organization.empty()) author += ", " + d.author.organization;
  pdf.paragraph(author, 10, true);
  std::string when = d.signedAt;
  if (when.size() >= 16) when = when.substr(0, 10) + " " + when.substr(11, 5) + " UTC";
  pdf.paragraph(Word("signed-at", lang) + " " + when, 10);
  pdf.space(6);
  pdf.paragraph("Study Instance UID " + d.study.studyInstanceUid, 7);
  return pdf.bytes();
}

}  // namespace relais::report
