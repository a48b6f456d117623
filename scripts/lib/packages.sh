# Sourced by scripts/test and scripts/demo. Reads packaging/debian-packages.txt, the one list of
# system packages, and installs the ones of the given roles that are missing.

QC_TOP=${QC_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

# qc_packages ROLE... : package names having any of the roles
qc_packages() {
    local roles=" $* "
    awk '!/^#/ && NF >= 2 {print $1, $2}' "$QC_TOP/packaging/debian-packages.txt" |
        while read -r pkg pkgroles; do
            for r in ${pkgroles//,/ }; do
                if [[ $roles == *" $r "* ]]; then echo "$pkg"; break; fi
            done
        done
}

# qc_ensure_packages ROLE... : apt-get install what is missing (sudo when not root)
qc_ensure_packages() {
    local missing=() pkg
    for pkg in $(qc_packages "$@"); do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
            missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing missing packages: ${missing[*]}" >&2
    local sudo=
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null; then
            echo "Missing packages and no sudo to install them; as root run:" >&2
            echo "  apt-get install ${missing[*]}" >&2
            return 1
        fi
        sudo=sudo
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# qc_build BUILD_DIR [extra cmake args] : configure (once) and build with Ninja
# (only the targets of $QC_BUILD_TARGETS when set)
qc_build() {
    local build=$1; shift
    cmake -S "$QC_TOP" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
    # shellcheck disable=SC2086 # a list of target names
    cmake --build "$build" -j "$(nproc)" ${QC_BUILD_TARGETS:+--target $QC_BUILD_TARGETS}
}
