#include <memory>

#include "Commands.h"
#include "SessionFlags.h"
#include "relais/capture/Capture.h"

namespace relais::capture::tools {

void addXrayCommand(CLI::App& app) {
  struct State {
    SessionFlags session;
    std::vector<std::string> images, films;
    XrayCaptureRequest request;
  };
  auto state = std::make_shared<State>();
  CLI::App* command = app.add_subcommand(
      "xray", "16-bit detector images (PNG, TIFF) -> DX For Presentation; --film photos/scans -> Secondary Capture DF");
  state->session.addTo(*command);
  command->add_option("images", state->images, "16-bit grayscale detector images");
  command->add_option("--film", state->films, "photo or scan of an X-ray film (repeatable)");
  command->add_option("--pixel-spacing", state->request.settings.pixelSpacingMm,
                      "detector pixel pitch in mm (Imager Pixel Spacing)")
      ->check(CLI::Range(0.01, 5.0));
  command->add_option("--detector-type", state->request.settings.detectorType, "DIRECT, SCINTILLATOR or STORAGE")
      ->check(CLI::IsMember({"DIRECT", "SCINTILLATOR", "STORAGE", "FILM"}));
  command->add_option("--patient-orientation", state->request.settings.patientOrientation,
                      "Patient Orientation of the detector image, rows\\columns (default L\\F: PA chest as displayed)");
  command->add_option("--manufacturer", state->request.settings.device.manufacturer, "detector manufacturer");
  command->add_option("--model", state->request.settings.device.model, "detector model");
  command->callback([state] {
    state->request.options = state->session.toOptions();
    state->request.detectorImages.assign(state->images.begin(), state->images.end());
    state->request.films.assign(state->films.begin(), state->films.end());
    state->session.complete(captureXray(state->request), state->request.options);
  });
}

}  // namespace relais::capture::tools
