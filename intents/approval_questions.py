"""Questions about approvals, tried before the rules of actions in `intents.rules`: what waits on
me ("anything pending my sign-off?", "am I the blocker?") and who decides ("who may approve the
crm?", "whose call is it?"). Each holds the word "approve" or "sign off", but asks; they come
before the approve rule, so "who may approve" is a question, not an approval. Patterns are written
over normalised text, like the rules.
"""

from __future__ import annotations

__all__ = ["APPROVAL_QUESTION_RULES"]

APPROVAL_QUESTION_RULES: tuple[tuple[str, str], ...] = (
    ("waiting_on_me", r"\b(?:waiting|wait|waits|pending) (?:on|for) (?:me|my)\b"
                      r"|\b(?:stuck|blocked|held up|hanging|sitting|parked) (?:on|for|behind"
                      r"|waiting for) my (?:sign ?off|approval|ok|okay|review|decision|input"
                      r"|say so|go ahead|answer)\b"
                      r"|\bawait(?:s|ing)? (?:on )?(?:me|my)\b"
                      r"|\bmy (?:to ?do|todo|to dos|todos)(?: list)?\b"
                      r"|\bwhat (?:do|does|else do|else does) (?:you|u|\w+) (?:still )?(?:need"
                      r"|want|require) from me\b"
                      r"|\b(?:whats|what is|anything|something) (?:left )?on me\b"
                      r"|\b(?:need(?:s|ing)?|requires?|requiring) (?:my|me to) (?:approval"
                      r"|sign ?off|ok|okay|review"
                      r"|attention|input|decision|approve|sign)\b"
                      r"|\b(?:my|any) (?:pending )?approvals?\b(?!.*\bfor (?:the|bob|carol))"
                      r"|\b(?:anything|something|stuff|things?) (?:for me )?to (?:approve|sign)\b"
                      r"|\bam i blocking\b|\bowe (?:\w+ ){0,2}?(?:approval|sign ?off|review|ok"
                      r"|decision|answer)\b|\bam i (?:the |a )?(?:bottleneck|blocker)\b"
                      r"|\bpending (?:on )?(?:my|me)\b"
                      r"|\bneeds? approving from me\b|\bpending approvals?\b"
                      r"|\b(?:in|on) my (?:queue|inbox|plate|desk)\b"
                      r"|\b(?:blocked|stuck|held up|waiting) (?:on|by|because of|due to) me\b"
                      # "are there approvals only i can give?"
                      r"|\bapprovals? (?:that |which )?(?:only )?(?:i|me) (?:alone )?(?:can|must"
                      r"|should|need to|have to) (?:give|do|make|sign)\b"
                      r"|\bfor me to (?:approve|sign off|review)\b"
                      r"|\bwhat needs (?:approving|approval|sign ?off|signing off)\b"
                      r"|\b(?:anything|something|stuff) (?:i|we) (?:need|have|must|should|ought)"
                      r" to (?:approve|sign off|sign|review|look at|ok|okay)\b"
                      r"|\bwhat (?:have|do|did) (?:i|we) (?:still )?(?:got|get) to (?:approve|sign"
                      r"|review)\b"
                      r"|\bwhat (?:should|do|must|can) i (?:still )?(?:(?:have|need|got) to )?"
                      r"(?:approve|sign off|sign|review)\b"
                      r"|\b(?:do|should|must) i (?:need to |have to )?(?:approve|sign off|review) "
                      r"(?:anything|something)\b"),
    # ("who still has to sign it": the ones yet to decide)
    ("who_approves", r"\bwho(?:s| is| are)? (?:else |still )?(?:(?:can|may|could|should|must|will"
                     r"|would|shall|"
                     r"needs? to|has to|have to|gets? to|is (?:meant|supposed|allowed|able"
                     r"|authori[sz]ed|permitted|entitled) to|"
                     r"(?:meant|supposed|allowed|able|authori[sz]ed|permitted|entitled) to"
                     r"|is going to) )+"
                     r"(?:approve|sign|ok|okay|say yes|accept|green ?light|give the go|reject"
                     r"|decline)\b"
                     r"|\bwhose (?:approval|sign ?off|ok|okay|decision|call)\b"
                     r"|\b(?:approver|approvers)\b|\bwho (?:approves|signs off|decides)\b"
                     r"|\bwhich (?:person|people|user|users|team|one of us) (?:approves|can approve"
                     r"|may approve|signs off|can sign off)\b"
                     # "who's it waiting for", "who gives the sponsor sign-off"
                     r"|\bwho(?:s| is)? (?:it|this|that|the \w+) (?:still )?waiting (?:for|on)$"
                     r"|\bwho (?:gives|provides|does|signs) (?:the )?(?:\w+ )?(?:sign ?off"
                     r"|approval)\b"
                     r"|\b(?:am i|are we|is \w+) (?:even |actually |really )?(?:allowed|able"
                     r"|permitted|authori[sz]ed) to "
                     r"(?:approve|sign off|reject|decline)\b|\bcan i (?:approve|sign off)\b"
                     # "who has the right to reject the crm?": who decides on it
                     r"|\bwho (?:else )?(?:has|have|gets|got) the (?:right|rights|permission"
                     r"|authority|power) to (?:approve|sign|reject|decline|ok|okay|green ?light)\b"
                     r"|\bwho (?:do|does|should|can|could) (?:i|we) (?:ask|ping|talk to|bug|go to"
                     r"|contact|message|chase)\b.*\b(?:approv|sign)"
                     r"|\bwho(?:s| is| are)? (?:on the hook|responsible|in charge) (?:\w+ )?"
                     r"(?:approv|sign)"
                     r"|\bwho (?:has|holds|gets|owns) (?:the )?(?:approval|sign ?off|final say)\b"
                     r"|\b(?:does|do) (?!i\b)(?:\w+ ){1,2}?(?:need|have) to (?:approve|sign off)\b"
                     r"|\bwho (?:needs to|has to|must|should|can|is to) give (?:the |their |his "
                     r"|her )?(?:ok|okay|sign ?off|approval|go ahead|green light)\b"
                     r"|\b(?:which|what) (?:people|person|persons|users?|folks|ones|members|team|"
                     r"teams|individuals|colleagues|roles) (?:can|may|could|are allowed to"
                     r"|is allowed to|are authori[sz]ed to|are permitted to|need to|needs to|"
                     r"have to|has to) (?:approve|sign|ok|okay|green ?light|say yes)\b"
                     # "who approve the crm?" (a second language), "who must the sweep
                     # approve?" (German order), "can an intern approve things?", "do i have
                     # permission to sign off the legal step?"
                     r"|\bwho approve\b"
                     r"|\bwho (?:must|should|can|may|has to|needs to) (?:the |this |that )?"
                     r"(?:\w+ ){1,3}?(?:approve|sign off)$"
                     r"|^(?:(?:so|and|hey|ok|okay) )*(?:can|may|could) (?:a|an|any) \w+ (?:\w+ )?"
                     r"(?:approve|sign off|reject)\b"
                     r"|\b(?:do|does) (?:i|we|you|\w+) (?:even |actually )?have (?:the )?"
                     r"(?:permission|permissions|rights?|authority|access) to (?:approve|sign"
                     r"|reject)\b"
                     # (round eight) "which approver is the report still waiting on?", "who's
                     # holding up the merge", "is it up to ivo or up to me?": whose decision
                     r"|\b(?:which|what) (?:person|people|team|approver|user|one of us) (?:is|are)"
                     r" (?:it|this|that|they|we|the \w+) (?:still )?waiting (?:for|on)\b"
                     r"|\bwho(?:s| is) (?:blocking|holding up) (?!(?:me|us|anything|anyone)\b)"
                     r"|\bis it (?:on|up to) (?:me|you|\w+) or (?:on |up to |to )?\w+ to (?:approve"
                     r"|sign off|sign|decide|reject)\b"
                     # (round eleven) "and who signs it off?": who decides, the decision's
                     # object said inside its verb
                     r"|\bwho (?:signs|approves|oks|okays) (?:\w+ ){1,3}?off\b"
                     # "and who signs that?", "who signs the cutover": "off" left unsaid
                     r"|\bwho signs (?:that|it|this|them|the (?:\w+ ){0,3}?\w+)$"),
)  # fmt: skip
