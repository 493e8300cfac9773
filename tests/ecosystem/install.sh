#!/bin/bash
# install.sh WTREC CMAKE BUILD_DIR - `cmake --install BUILD_DIR --prefix P`
# installs bin/wtrec (which runs), the man page gzipped in share/man/man1
# (wtrec.1.gz, whose text is docs/wtrec.1) and every sql/*.sql file in
# share/wtrec/sql.
. "$(dirname "$0")/lib.sh"
eco_init "$1"
CMAKE=${2:?usage: $0 WTREC CMAKE BUILD_DIR}
BUILD=${3:?usage: $0 WTREC CMAKE BUILD_DIR}

"$CMAKE" --install "$BUILD" --prefix "$T/p" >"$T/out" 2>&1
check_eq "cmake --install: exit status" 0 $?
check_true "bin/wtrec installed" [ -x "$T/p/bin/wtrec" ]
"$T/p/bin/wtrec" --version >/dev/null 2>&1
check_eq "installed wtrec --version runs" 0 $?
check_true "man page installed, gzipped" cmp -s "$SRC/docs/wtrec.1" <(zcat "$T/p/share/man/man1/wtrec.1.gz")
check_true "no uncompressed man page beside it" [ ! -e "$T/p/share/man/man1/wtrec.1" ]
for f in "$SRC"/sql/*.sql; do
	check_true "sql/$(basename "$f") installed" cmp -s "$f" "$T/p/share/wtrec/sql/$(basename "$f")"
done
if command -v man >/dev/null; then
	MANPATH=$T/p/share/man MANPAGER=cat man wtrec >/dev/null 2>"$T/err"
	check_eq "man wtrec finds the installed page (MANPATH)" 0 $?
fi
t_finish
