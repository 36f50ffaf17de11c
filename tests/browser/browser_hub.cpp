// The hub the browser tests drive: a real Orthanc with the plugin configured by the shared
// harness (users, rules, templates), seeded the way units seed it (objects uploaded by a unit
// account, cases created by the plugin's router): a dermatology case with the patient's prior
// case, a dermatology case that received a photo after an information request, an obstetric
// ultrasound clip, an obstetric biometry still with a calibrated ultrasound region and a chest
// radiograph with Imager Pixel Spacing (the last two for measurements). Prints one JSON line
//   {"baseUrl": ..., "cases": {"dermatology": id, "dermatologyPrior": id, "newImages": id, ...}}
// then keeps the hub running until its standard input closes.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <thread>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <opencv2/imgproc.hpp>

#include "TestImages.h"
#include "harness/Files.h"
#include "harness/OrthancServer.h"
#include "harness/TestHub.h"

using namespace relais::test;

namespace {

// Skin with a pigmented lesion: enough structure that zooming shows detail.
cv::Mat SkinPhoto(int width, int height, double lesionScale, unsigned seed) {
  cv::RNG rng(seed);
  cv::Mat bgr(height, width, CV_8UC3, cv::Scalar(150, 175, 215));
  cv::Mat grain(height, width, CV_8UC3);
  rng.fill(grain, cv::RNG::NORMAL, 0, 8);
  bgr += grain;
  const cv::Point centre(width / 2, height / 2);
  const cv::Size axes(static_cast<int>(width * 0.12 * lesionScale), static_cast<int>(height * 0.10 * lesionScale));
  cv::ellipse(bgr, centre, axes, 20, 0, 360, cv::Scalar(40, 60, 110), cv::FILLED, cv::LINE_AA);
  for (int i = 0; i < 60; ++i) {
    cv::Point p(centre.x + rng.uniform(-axes.width, axes.width) * 4 / 5, centre.y + rng.uniform(-axes.height, axes.height) * 4 / 5);
    cv::circle(bgr, p, std::max(2, width / 400), cv::Scalar(25, 35, 70), cv::FILLED, cv::LINE_AA);
  }
  cv::GaussianBlur(bgr, bgr, cv::Size(0, 0), std::max(1.0, width / 1500.0));
  cv::putText(bgr, "1 mm grid", cv::Point(width / 20, height - height / 20), cv::FONT_HERSHEY_SIMPLEX, width / 1200.0,
              cv::Scalar(30, 30, 30), std::max(1, width / 1000));
  cv::Mat rgb;
  cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  return rgb;
}

// Ultrasound-like speckle in a sector, with a bright structure moving from frame to frame.
std::vector<cv::Mat> UltrasoundClip(int frames) {
  std::vector<cv::Mat> out;
  cv::RNG rng(7);
  for (int k = 0; k < frames; ++k) {
    cv::Mat grey(480, 640, CV_8UC1, cv::Scalar(0));
    cv::Mat speckle(480, 640, CV_8UC1);
    rng.fill(speckle, cv::RNG::UNIFORM, 0, 90);
    cv::Mat sector(480, 640, CV_8UC1, cv::Scalar(0));
    cv::ellipse(sector, cv::Point(320, 20), cv::Size(440, 440), 90, -40, 40, cv::Scalar(255), cv::FILLED);
    speckle.copyTo(grey, sector);
    const int x = 220 + static_cast<int>(80 * std::sin(k * 0.5));
    cv::circle(grey, cv::Point(x, 260), 45, cv::Scalar(200), cv::FILLED, cv::LINE_AA);
    cv::putText(grey, std::to_string(k + 1), cv::Point(20, 460), cv::FONT_HERSHEY_SIMPLEX, 1.0, cv::Scalar(255), 2);
    cv::GaussianBlur(grey, grey, cv::Size(3, 3), 0);
    cv::Mat rgb;
    cv::cvtColor(grey, rgb, cv::COLOR_GRAY2RGB);
    out.push_back(rgb);
  }
  return out;
}

// Lungs darker than the mediastinum and bones: 12-bit values, enough to see windowing work.
cv::Mat ChestRadiograph() {
  cv::Mat v(2000, 1600, CV_32FC1, cv::Scalar(3200));
  cv::ellipse(v, cv::Point(520, 1000), cv::Size(330, 720), 0, 0, 360, cv::Scalar(900), cv::FILLED, cv::LINE_AA);
  cv::ellipse(v, cv::Point(1080, 1000), cv::Size(330, 720), 0, 0, 360, cv::Scalar(900), cv::FILLED, cv::LINE_AA);
  for (int i = 0; i < 9; ++i) {
    cv::ellipse(v, cv::Point(800, 520 + i * 140), cv::Size(620, 90), 0, 200, 340, cv::Scalar(2600), 18, cv::LINE_AA);
  }
  cv::circle(v, cv::Point(1150, 1250), 90, cv::Scalar(2100), cv::FILLED, cv::LINE_AA);  // the opacity
  cv::GaussianBlur(v, v, cv::Size(0, 0), 12);
  cv::Mat noise(v.size(), CV_32FC1);
  cv::randn(noise, 0, 40);
  v += noise;
  cv::Mat out;
  v.convertTo(out, CV_16UC1);
  return out;
}

// Calibration for the viewer's measurements, written into an existing object: `edit` gets its
// data set; the file is saved again in its own transfer syntax.
template <typename Edit>
void Calibrate(const std::filesystem::path& file, Edit edit) {
  DcmFileFormat f;
  // All of it in memory first: DCMTK reads large values lazily, and saving over the file would
  // truncate them.
  if (!f.loadFile(file.c_str()).good() || !f.loadAllDataIntoMemory().good()) {
    throw std::runtime_error("cannot read " + file.string());
  }
  edit(*f.getDataset());
  if (!f.saveFile(file.c_str(), EXS_Unknown).good()) throw std::runtime_error("cannot write " + file.string());
}

// The probe's image area as a calibrated region: 0.02 cm (0.2 mm) a pixel across, 0.025 cm
// (0.25 mm) down, over the whole sector's box; the text below it is outside.
void AddUltrasoundRegion(DcmDataset& d) {
  DcmItem* region = nullptr;
  if (!d.findOrCreateSequenceItem(DCM_SequenceOfUltrasoundRegions, region, -2).good()) {
    throw std::runtime_error("cannot add the ultrasound region");
  }
  region->putAndInsertUint16(DCM_RegionSpatialFormat, 1);  // 2D
  region->putAndInsertUint16(DCM_RegionDataType, 1);       // tissue
  region->putAndInsertUint32(DCM_RegionFlags, 0);
  region->putAndInsertUint32(DCM_RegionLocationMinX0, 40);
  region->putAndInsertUint32(DCM_RegionLocationMinY0, 20);
  region->putAndInsertUint32(DCM_RegionLocationMaxX1, 600);
  region->putAndInsertUint32(DCM_RegionLocationMaxY1, 430);
  region->putAndInsertUint16(DCM_PhysicalUnitsXDirection, 3);
  region->putAndInsertUint16(DCM_PhysicalUnitsYDirection, 3);
  region->putAndInsertFloat64(DCM_PhysicalDeltaX, 0.02);
  region->putAndInsertFloat64(DCM_PhysicalDeltaY, 0.025);
}

}  // namespace

int main() {
  try {
    TempDir dir("relais-browser-seed");
    OrthancServer hub(HubOptions());
    HttpClient unit = ClientAs(hub, "unit07");
    HttpClient admin = ClientAs(hub, "admin");
    // As relais-forward does: every instance, then the study's manifest, which tells the hub
    // the study is complete (units' studies are routed on their manifest, not on stability).
    std::map<std::string, std::vector<std::string>> sent;  // study UID -> SOP Instance UIDs
    std::string currentStudy;
    auto upload = [&](const std::filesystem::path& file) {
      auto answer = unit.post("/instances", ReadFile(file), "application/dicom");
      if (answer.status != 200) throw std::runtime_error("upload of " + file.string() + ": " + answer.body);
      sent[currentStudy].push_back(SopInstanceUidOf(file));
    };
    auto manifest = [&](const std::string& studyUid, const std::string& priority = "routine") {
      auto answer = unit.postJson("/relais/v1/studies/" + studyUid + "/manifest",
                                  {{"instances", sent[studyUid]}, {"priority", priority}});
      if (answer.status == 404 || answer.status == 405) return;  // a hub without manifests routes on stability
      if (answer.status >= 300) throw std::runtime_error("manifest of " + studyUid + ": " + answer.body);
    };

    StudyRequest derm;
    derm.patientId = "VAN07-0042";
    derm.patientName = "Diallo^Awa";
    derm.birthDate = "19790312";
    derm.specialty = "dermatology";
    derm.studyDescription = "Teledermatology skin lesion";
    derm.history = "Naevus connu depuis 2019.\r\nSurveillance annuelle.";  // two lines, as units write them
    derm.bodySiteCode = "14975008";
    derm.bodySiteMeaning = "Forearm";
    derm.imageLaterality = "L";

    // The prior case: one photo, a year earlier.
    StudyRequest prior = derm;
    prior.studyInstanceUid = NewDicomUid();
    prior.studyDate = "20251118";
    prior.question = "Naevus dorsal: surveillance";
    prior.seriesDescription = "Dos, vue d'ensemble";
    WriteJpegPhoto(dir / "prior.dcm", SkinPhoto(2000, 1500, 0.8, 1), 90);
    ApplyRequest(dir / "prior.dcm", prior);
    currentStudy = prior.studyInstanceUid;
    upload(dir / "prior.dcm");
    manifest(prior.studyInstanceUid);

    // The current case: a 12-megapixel photo and a close-up.
    StudyRequest current = derm;
    current.studyInstanceUid = NewDicomUid();
    current.seriesInstanceUid = NewDicomUid();
    current.studyDate = "20261124";
    current.question = "Naevus dorsal modifié en 1 an: bords irréguliers, suspicion de mélanome ?";
    current.seriesDescription = "Dos";
    WriteJpegPhoto(dir / "current1.dcm", SkinPhoto(4000, 3000, 1.1, 2), 90);
    ApplyRequest(dir / "current1.dcm", current);
    current.instanceNumber = 2;
    WriteJpegPhoto(dir / "current2.dcm", SkinPhoto(1600, 1200, 2.5, 3), 90);
    ApplyRequest(dir / "current2.dcm", current);
    currentStudy = current.studyInstanceUid;
    upload(dir / "current1.dcm");
    upload(dir / "current2.dcm");
    manifest(current.studyInstanceUid);

    StudyRequest obstetric;
    obstetric.patientId = "VAN07-0107";
    obstetric.patientName = "Traore^Mariam";
    obstetric.birthDate = "19980704";
    obstetric.studyInstanceUid = NewDicomUid();
    obstetric.specialty = "obstetrics-gynaecology";
    obstetric.studyDescription = "Obstetric ultrasound";
    obstetric.question = "Grossesse 22 SA: biométrie et vitalité";
    obstetric.seriesDescription = "Clip";
    WriteUltrasoundClip(dir / "clip.dcm", UltrasoundClip(24));
    ApplyRequest(dir / "clip.dcm", obstetric);
    currentStudy = obstetric.studyInstanceUid;
    upload(dir / "clip.dcm");
    manifest(obstetric.studyInstanceUid, "urgent");  // reduced fetal movements: the queue shows it

    // A biometry still of another pregnancy, its probe area a calibrated region, for the
    // obstetrician's measurements carried into the report.
    StudyRequest biometry = obstetric;
    biometry.patientId = "VAN07-0121";
    biometry.patientName = "Coulibaly^Aminata";
    biometry.birthDate = "20010917";
    biometry.studyInstanceUid = NewDicomUid();
    biometry.question = "Grossesse 24 SA: biométrie";
    biometry.seriesDescription = "Biométrie";
    WriteUltrasoundClip(dir / "biometry.dcm", UltrasoundClip(1));
    Calibrate(dir / "biometry.dcm", AddUltrasoundRegion);
    ApplyRequest(dir / "biometry.dcm", biometry);
    currentStudy = biometry.studyInstanceUid;
    upload(dir / "biometry.dcm");
    manifest(biometry.studyInstanceUid);

    // A chest radiograph for the radiologist: 16-bit, a window in the file.
    StudyRequest xray;
    xray.patientId = "VAN07-0311";
    xray.patientName = "Keita^Oumar";
    xray.birthDate = "19650210";
    xray.sex = "M";
    xray.studyInstanceUid = NewDicomUid();
    xray.specialty = "radiology";
    xray.studyDescription = "Chest X-ray";
    xray.question = "Toux depuis 3 semaines, fièvre: foyer ?";
    xray.seriesDescription = "Thorax face";
    GreyOptions xrayOptions;
    xrayOptions.window = "2000\\3000";
    WriteGrey16(dir / "xray.dcm", ChestRadiograph(), xrayOptions);
    Calibrate(dir / "xray.dcm", [](DcmDataset& d) { d.putAndInsertString(DCM_ImagerPixelSpacing, "0.2\\0.2"); });
    ApplyRequest(dir / "xray.dcm", xray);
    currentStudy = xray.studyInstanceUid;
    upload(dir / "xray.dcm");
    manifest(xray.studyInstanceUid);

    // A case the dermatologist asked more of: one photo routed, then (after the request) a
    // close-up in raking light, sent into the same study in a series of its own.
    StudyRequest asked;
    asked.patientId = "VAN07-0093";
    asked.patientName = "Sow^Fatou";
    asked.birthDate = "19870521";
    asked.studyInstanceUid = NewDicomUid();
    asked.seriesInstanceUid = NewDicomUid();
    asked.specialty = "dermatology";
    asked.studyDescription = "Teledermatology skin lesion";
    asked.question = "Lésion de la jambe gauche depuis 3 mois, croûteuse: carcinome ?";
    asked.seriesDescription = "Jambe gauche";
    WriteJpegPhoto(dir / "asked1.dcm", SkinPhoto(1600, 1200, 1.0, 4), 90);
    ApplyRequest(dir / "asked1.dcm", asked);
    currentStudy = asked.studyInstanceUid;
    upload(dir / "asked1.dcm");
    manifest(asked.studyInstanceUid);

    // The router creates cases when the studies are stable; wait for all of them.
    nlohmann::json cases = nlohmann::json::object();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    // A hub without the case routes yet (404) cannot show cases: say so instead of waiting.
    const bool hasCaseRoutes = admin.get("/relais/v1/cases?limit=1").status != 404;
    while (hasCaseRoutes && cases.size() < 6) {
      if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("cases not created; hub log:\n" + hub.log());
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      auto answer = admin.get("/relais/v1/cases?limit=100");
      if (answer.status != 200) continue;
      nlohmann::json list = answer.json();
      if (list.is_object() && list.contains("cases")) list = list["cases"];
      for (const auto& c : list) {
        const std::string uid = c.value("studyInstanceUid", "");
        if (uid == prior.studyInstanceUid) cases["dermatologyPrior"] = c["id"];
        if (uid == current.studyInstanceUid) cases["dermatology"] = c["id"];
        if (uid == obstetric.studyInstanceUid) cases["obstetrics"] = c["id"];
        if (uid == xray.studyInstanceUid) cases["radiology"] = c["id"];
        if (uid == biometry.studyInstanceUid) cases["obstetricsBiometry"] = c["id"];
        if (uid == asked.studyInstanceUid) cases["newImages"] = c["id"];
      }
    }
    if (hasCaseRoutes) {
      const std::string path = "/relais/v1/cases/" + std::to_string(cases["newImages"].get<int64_t>());
      HttpClient derm1 = ClientAs(hub, "derm1");
      if (derm1.post(path + "/claim", "{}").status != 200 ||
          derm1.postJson(path + "/request-info", {{"message", "Pouvez-vous ajouter une photo en lumière rasante ?"}})
                  .status != 200) {
        throw std::runtime_error("information request on case " + path + " refused; hub log:\n" + hub.log());
      }
      asked.seriesInstanceUid = NewDicomUid();
      asked.seriesDescription = "Jambe gauche, lumière rasante";
      WriteJpegPhoto(dir / "asked2.dcm", SkinPhoto(1600, 1200, 1.3, 5), 90);
      ApplyRequest(dir / "asked2.dcm", asked);
      upload(dir / "asked2.dcm");
      manifest(asked.studyInstanceUid);
      for (;;) {
        if (std::chrono::steady_clock::now() > deadline) {
          throw std::runtime_error("the added photo did not reach its case; hub log:\n" + hub.log());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        auto answer = admin.get("/relais/v1/cases?queue=dermatology&state=queued&limit=100");
        if (answer.status != 200) continue;
        const auto list = answer.json()["cases"];
        if (std::any_of(list.begin(), list.end(), [&](const nlohmann::json& c) {
              return c["id"] == cases["newImages"] && c["newImages"] == true;
            })) {
          break;
        }
      }
    }
    nlohmann::json ready = {{"baseUrl", hub.baseUrl()}, {"cases", cases}, {"hasCaseRoutes", hasCaseRoutes}, {"log", (hub.directory() / "orthanc.log").string()},
                            {"studies", {{"dermatology", current.studyInstanceUid}}}};
    std::cout << ready.dump() << std::endl;
    std::string line;
    while (std::getline(std::cin, line)) {
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "browser hub: " << e.what() << std::endl;
    return 1;
  }
}
