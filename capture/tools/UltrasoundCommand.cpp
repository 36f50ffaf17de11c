#include <memory>

#include "Commands.h"
#include "SessionFlags.h"
#include "relais/capture/Capture.h"

namespace relais::capture::tools {

void addUltrasoundCommand(CLI::App& app) {
  struct State {
    SessionFlags session;
    std::vector<std::string> stills, clips;
    bool noBurnedIn = false;
    UltrasoundCaptureRequest request;
  };
  auto state = std::make_shared<State>();
  CLI::App* command = app.add_subcommand(
      "ultrasound", "still frames -> US Image; clips (video file or folder of numbered frames) -> US Multi-frame Image");
  state->session.addTo(*command);
  command->add_option("stills", state->stills, "still images (screen grabs, exported frames)");
  command->add_option("--clip", state->clips, "a video file or a folder of numbered frames (repeatable)");
  // Without a bound, 0 or a negative rate fell back to the default unannounced, and 1e9 was
  // written as it is (Frame Time 1e-06 ms).
  command->add_option("--fps", state->request.settings.framesPerSecond,
                      "frame rate of the clips (default: the video's own, 25 for numbered frames)")
      ->check(CLI::Range(0.1, 1000.0));
  command->add_option("--exam", state->request.settings.examType,
                      "exam type for Image Type (ABDOMINAL, OB, GYNECOLOGY, CARDIAC...; default from the specialty)");
  command->add_option("--jpeg-quality", state->request.settings.jpegQuality, "JPEG quality of clip frames")
      ->check(CLI::Range(50, 100));
  command->add_flag("--no-burned-in-annotation", state->noBurnedIn,
                    "the images carry no patient text (default assumes a screen grab with text: YES)");
  command->add_option("--manufacturer", state->request.settings.device.manufacturer, "ultrasound machine manufacturer");
  command->add_option("--model", state->request.settings.device.model, "ultrasound machine model");
  command->callback([state] {
    state->request.options = state->session.toOptions();
    state->request.stills.assign(state->stills.begin(), state->stills.end());
    state->request.clips.assign(state->clips.begin(), state->clips.end());
    state->request.settings.burnedInAnnotation = !state->noBurnedIn;
    state->session.complete(captureUltrasound(state->request), state->request.options);
  });
}

}  // namespace relais::capture::tools
