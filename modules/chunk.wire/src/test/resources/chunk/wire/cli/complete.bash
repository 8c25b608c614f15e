# complete.bash SCRIPT WORD...: what bash completes the last WORD to, one a line, as it does
# on a command line where the cursor stands after the last WORD (a word "" is an empty one).
# Loads SCRIPT as bash-completion would, then calls the function `complete -p` names.
source "$1" || exit 3
shift
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
function=$(complete -p "$1" | sed -n 's/.* -F \([^ ]*\) .*/\1/p')
[ -n "$function" ] || { echo "no completion registered for $1" >&2; exit 4; }
"$function" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
