# program: gpgtar, gpg
# package: gpg
# requires: gpgtar gpg
# temp: gpg and gpgtar import tmpfile(); gpg --homedir in the scratch home creates its keyring files; symmetric encryption round trip
set -e
export GNUPGHOME=$HOME/gnupg
mkdir -m 700 "$GNUPGHOME"
mkdir tree; seq 100 >tree/a; echo hello >tree/b
gpgtar --create --skip-crypto --output tree.tar tree
gpgtar --list-archive --skip-crypto tree.tar | awk '{print $NF}'
mkdir out; gpgtar --extract --skip-crypto --directory out tree.tar
diff -r tree out/tree && echo "round trip ok"
echo secret | gpg --batch --quiet --pinentry-mode loopback --passphrase pw --symmetric --output s.gpg
gpg --batch --quiet --pinentry-mode loopback --passphrase pw --decrypt s.gpg
gpgconf --kill all 2>/dev/null || true
