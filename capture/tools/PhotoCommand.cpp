#include <memory>

#include "Commands.h"
#include "SessionFlags.h"
#include "relais/capture/Capture.h"

namespace relais::capture::tools {

void addPhotoCommand(CLI::App& app) {
  struct State {
    SessionFlags session;
    std::vector<std::string> photos;
    bool dermoscopy = false;
    PhotoCaptureRequest request;
  };
  auto state = std::make_shared<State>();
  CLI::App* command = app.add_subcommand(
      "photo", "photos (JPEG, PNG) -> VL Photographic Image; --dermoscopy -> Dermoscopic Photography Image");
  state->session.addTo(*command);
  command->add_option("photos", state->photos, "photo files, in the order they were taken")->required();
  command->add_flag("--dermoscopy", state->dermoscopy, "the images come from a dermatoscope (modality DMS)");
  DermoscopySettings& d = state->request.dermoscopySettings;
  command->add_option("--polarization", d.lightSourcePolarization, "dermatoscope light source polarization");
  command->add_option("--contact-method", d.contactMethod, "dermatoscope contact method");
  command->add_option("--immersion-media", d.immersionMedia, "immersion media, for contact dermoscopy");
  command->add_option("--magnification", d.opticalMagnification, "optical magnification factor, e.g. 10");
  command->add_option("--manufacturer", state->request.device.manufacturer, "device manufacturer when EXIF lacks it");
  command->add_option("--model", state->request.device.model, "device model when EXIF lacks it");
  command->add_option("--device-serial", state->request.device.serialNumber, "device serial number when EXIF lacks it");
  command->callback([state] {
    state->request.options = state->session.toOptions();
    state->request.dermoscopy = state->dermoscopy;
    state->request.photos.assign(state->photos.begin(), state->photos.end());
    state->session.complete(capturePhotos(state->request), state->request.options);
  });
}

}  // namespace relais::capture::tools
