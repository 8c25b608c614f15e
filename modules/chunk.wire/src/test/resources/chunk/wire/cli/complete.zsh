# complete.zsh FOLDER LINE: what zsh offers for the end of LINE, one a line, with the
# completion functions of FOLDER on the fpath. zsh completes only on a terminal, so this drives
# an interactive zsh on a pseudo-terminal (zpty), has it complete LINE with Tab, and prints
# every match its compadd was given.
zmodload zsh/zpty || exit 3
zpty shell zsh -f -i
zpty -w shell "PROMPT=''; fpath=(${(q)1} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w shell 'compadd() { local -a matches; builtin compadd -O matches "$@"; print -rl -- "MATCH:"${^matches}; builtin compadd "$@"; }'
zpty -w shell 'bindkey "^I" complete-word'
zpty -w shell "$2"$'\t'
# Ctrl-U drops the completed line; the marker, printed twice (echo, then output), ends the wait.
zpty -w shell $'\x15echo END-OF-MATCHES\n'
out=
for i in {1..200}; do
  while zpty -r -t shell chunk 2>/dev/null; do out+=$chunk; done
  [[ $out == *END-OF-MATCHES*END-OF-MATCHES* ]] && break
  sleep 0.05
done
zpty -d shell
[[ $out == *END-OF-MATCHES*END-OF-MATCHES* ]] || { print -u2 "zsh did not answer in 10 s"; exit 5; }
# The echo of the compadd definition above holds MATCH: too, followed by a quote: left out.
print -r -- "${out//$'\r'/}" | grep -a -o 'MATCH:[^[:space:]"]*' | grep -v '^MATCH:$' | sed 's/^MATCH://' | sort -u
