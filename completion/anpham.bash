# bash completion for anpham (installed as share/bash-completion/completions/anpham).
#
# The commands, each command's options and what an option or an argument
# takes are read from the usage text of the very program being completed
# (`anpham --help`, once per program and shell), so the completion follows
# the program: a new command or option completes without a change here.
# An argument named like FILE.xml completes *.xml files, DIR folders,
# a|b|c those words; N, NAME and the like complete nothing.

# '_anpham_usage PROGRAM' - set _anpham_usage_lines to the usage lines of
# PROGRAM's --help (from "usage:" to the first blank line), one command a line.
_anpham_usage() {
  local program=$1 line text=
  [[ $program == "~/"* ]] && program=$HOME/${program#\~/}
  [[ ${_anpham_usage_of-} == "$program" ]] && return
  _anpham_usage_of=$program
  _anpham_usage_lines=()
  text=$(LC_ALL=C "$program" --help 2>/dev/null) || text=$(LC_ALL=C anpham --help 2>/dev/null) || return
  while IFS= read -r line; do
    [[ -z ${line// /} ]] && break
    line=${line#usage:}
    if [[ $line =~ ^\ *anpham\ +([a-z].*) ]]; then
      _anpham_usage_lines+=("${BASH_REMATCH[1]}")
    elif ((${#_anpham_usage_lines[@]})) && [[ $line =~ ^\ +[-[] ]]; then
      _anpham_usage_lines[-1]+=" ${line# *}"
    fi
  done <<<"$text"
}

# '_anpham_words COMMAND' - the usage words of COMMAND (all of its usage
# lines), one a line, "..." taken off; brackets stay, to tell "[--force]"
# (no argument) from "[--data DATA.xml]".
_anpham_words() {
  local line word
  local -a split
  for line in "${_anpham_usage_lines[@]}"; do
    [[ $line == "$1" || $line == "$1 "* ]] || continue
    read -ra split <<<"${line#"$1"}"
    for word in "${split[@]}"; do
      word=${word%...}
      [[ -n $word ]] && printf '%s\n' "$word"
    done
  done
}

# '_anpham_complete_arg NAME' - COMPREPLY for an argument shown as NAME.
_anpham_complete_arg() {
  local name=$1 IFS=$'\n'
  case $name in
    *'|'*.*)                                     # DIR|FILE.pdf: folders and files
      COMPREPLY=($(compgen -d -- "$cur") $(compgen -f -X "!*.${name##*.}" -- "$cur")) ;;
    *'|'*)   COMPREPLY=($(IFS='|'; compgen -W "$name" -- "$cur")) ;;
    *.*)     COMPREPLY=($(compgen -d -- "$cur") $(compgen -f -X "!*.${name##*.}" -- "$cur")) ;;
    DIR)     COMPREPLY=($(compgen -d -- "$cur")) ;;
    FILE)    COMPREPLY=($(compgen -f -- "$cur")) ;;
    [a-z]*)  COMPREPLY=($(compgen -W "$name" -- "$cur")) ;; # A word of the command's own: merge
    *)       COMPREPLY=() ;;                     # N, NAME, NAME=VALUE...
  esac
  compopt -o filenames 2>/dev/null
  return 0
}

# The completion function: complete -F _anpham anpham.
_anpham() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} command i k word line pair
  local -a words commands options takes arguments
  _anpham_usage "${COMP_WORDS[0]}"
  COMPREPLY=()

  # The command: the first word after the program's name...
  for line in "${_anpham_usage_lines[@]}"; do
    word=${line%% *}
    [[ " ${commands[*]} " == *" $word "* ]] || commands+=("$word")
  done
  if ((COMP_CWORD == 1)); then
    COMPREPLY=($(compgen -W "${commands[*]} --help --version" -- "$cur"))
    return 0
  fi
  command=${COMP_WORDS[1]}
  [[ " ${commands[*]} " == *" $command "* ]] || return 0

  # ...its options ("OPTION ARG" in takes for those with an argument) and
  # its arguments, in the order of its usage...
  mapfile -t words < <(_anpham_words "$command")
  for ((i = 0; i < ${#words[@]}; i++)); do
    word=${words[i]//[\[\]]/}
    if [[ $word == -* ]]; then
      [[ " ${options[*]} " == *" $word "* ]] || options+=("$word")
      if [[ ${words[i]} != *']' ]] && ((i + 1 < ${#words[@]})) && [[ ${words[i + 1]//[\[\]]/} != -* ]]; then
        i=$((i + 1))
        takes+=("$word ${words[i]//[\[\]]/}")
      fi
    elif [[ -n $word ]]; then
      arguments+=("$word")
    fi
  done

  # ...then the argument of the option just before, an option, or the next
  # argument: a word of the command's own ("merge", "a|b") only first, past
  # the last argument the last again ("B.xml...").
  for pair in "${takes[@]}"; do
    if [[ ${pair%% *} == "$prev" ]]; then
      _anpham_complete_arg "${pair#* }"
      return 0
    fi
  done
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "${options[*]} --help" -- "$cur"))
    return 0
  fi
  k=0
  for ((i = 2; i < COMP_CWORD; i++)); do
    if [[ ${COMP_WORDS[i]} == -* ]]; then
      for pair in "${takes[@]}"; do
        [[ ${pair%% *} == "${COMP_WORDS[i]}" ]] && { i=$((i + 1)); break; }
      done
    else
      k=$((k + 1))
    fi
  done
  local -a files=()
  for word in "${arguments[@]}"; do
    [[ $word == [a-z]* ]] || files+=("$word")
  done
  if ((k == 0)) && [[ ${arguments[0]-} == [a-z]* ]]; then
    _anpham_complete_arg "${arguments[0]}"
  elif ((${#files[@]})); then
    [[ ${arguments[0]-} == [a-z]* ]] && k=$((k - 1))
    ((k < ${#files[@]})) || k=$((${#files[@]} - 1))
    _anpham_complete_arg "${files[k]}"
  fi
  return 0
}
complete -F _anpham anpham
