# Shared settings of the scripts in this folder; source it, don't run it.
# shellcheck shell=bash
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ROOT
# One cargo target dir for every crate and every toolchain (maturin, napi, uniffi).
CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
case $CARGO_TARGET_DIR in /*) ;; *) CARGO_TARGET_DIR=$ROOT/$CARGO_TARGET_DIR ;; esac
export CARGO_TARGET_DIR
# The cargo profile of the mobile library the Kotlin tests load and the Swift sources are
# generated from: `release` (the shipped build) unless MOBILE_PROFILE says otherwise
# (`MOBILE_PROFILE=dev` while iterating: no fat-LTO build).
MOBILE_PROFILE=${MOBILE_PROFILE:-release}
case $MOBILE_PROFILE in dev) MOBILE_LIB_DIR=$CARGO_TARGET_DIR/debug ;; *) MOBILE_LIB_DIR=$CARGO_TARGET_DIR/$MOBILE_PROFILE ;; esac
export MOBILE_PROFILE MOBILE_LIB_DIR

# A step's heading, with the time it starts (UTC) so that a log shows where time goes.
step() { printf '\n==> %s  [%s]\n' "$*" "$(date -u +%T)"; }

# apt_install PKG... : installs Debian packages (needs root); used only when something is missing.
apt_install() {
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$@"
}
