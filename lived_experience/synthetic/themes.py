"""Sentence templates for the synthetic free text, one list per code of the WRES codebook.

Written in our own words from the themes of published work on NHS workforce race equality
(the WRES indicators, NHS Staff Survey findings, qualitative studies of ethnic minority staff).

Template mark-up
----------------
``{slot}``
    an identifier filled in by the generator and written to the gold file: ``{name}`` (a
    person, in any of the forms people write names), ``{dr}`` / ``{sister}`` (a name after a
    title), ``{trust}``, ``{hospital}``, ``{ward}``, ``{phone}``, ``{email}``,
    ``{nhs_number}``, ``{postcode}``, ``{nino}``, ``{gmc}``, ``{nmc}``, ``{staff_id}``,
    ``{date}``, ``{handle}``, ``{url}``.
``[[words]]``
    a research descriptor that anonymisation must keep (ethnicity, religion, nationality,
    role, band, NHS term); written to the gold file as a span to keep.
"""

from __future__ import annotations

#: code id -> sentences an ethnic minority respondent might write about it
MINORITY_SENTENCES: dict[str, tuple[str, ...]] = {
    "representation_seniority": (
        "Look at the [[board]] and you will not see a single face like mine.",
        "Most of the [[Black nurses]] are stuck at [[band 5]] while every [[matron]] is white.",
        "There are lots of us on the wards but hardly any [[ethnic minority]] managers above [[band 7]].",
        "Our [[executive team]] at {trust} is entirely white even though half the workforce is not.",
        "When I look up the ladder the senior posts are all held by white colleagues.",
    ),
    "recruitment_shortlisting": (
        "I have been shortlisted six times for [[band 7]] roles and never appointed.",
        "The interview panels are always all white and the job often goes to someone already chosen.",
        "I was told I was not the right fit at interview, which felt like code for not white.",
        "A less experienced white colleague got the post after {name} sat on the panel.",
        "Shortlisting at {hospital} is not anonymised and people with names like mine are screened out.",
    ),
    "disciplinary_process": (
        "[[Black staff]] get referred to HR for things white staff are just spoken to about.",
        "I was suspended on {date} over an allegation that was later dropped.",
        "My colleague was put through a formal investigation for a minor drug error while others got informal words.",
        "The disciplinary process went straight to formal for me and I had no support from my manager {name}.",
        "I was referred to the [[NMC]] (my PIN is {nmc}) by {sister} before anyone spoke to me.",
    ),
    "training_development": (
        "I have asked for funding for my masters three years running and always been refused.",
        "Secondments and acting-up posts are offered to the favourites, never to [[Asian]] staff.",
        "I only find out about leadership courses after the places have gone.",
        "The white [[band 6]] nurses get sent on the development programme and we cover their shifts.",
        "My request for non-mandatory training was signed off for everyone in the team except me.",
    ),
    "abuse_from_public": (
        "A patient refused to let me care for him because I am [[Black]].",
        "Relatives have called me racist names on {ward} and nothing was done.",
        "Patients ask for a 'proper English nurse' and the staff just swap me out.",
        "I was spat at by a patient's son in the car park at {hospital}.",
        "A man in A&E told me to go back to my own country while I was taking his bloods.",
    ),
    "bullying_from_staff": (
        "My [[band 7]], {name}, shouts at me in front of patients and picks on the [[Filipino]] nurses.",
        "I have been bullied by my line manager for two years and I am frightened to come to work.",
        "The senior sister, {name}, constantly belittles the [[international nurses]] on {ward}.",
        "Colleagues talk about me in their language and laugh when I come into the room.",
        "I am always given the heaviest patients and the worst shifts by the same clique.",
    ),
    "career_progression": (
        "I have been a [[band 5]] for eleven years despite a degree and excellent appraisals.",
        "I was told I was not ready for promotion while I trained the person who got the job.",
        "Every time I apply for a [[band 6]] post I get knocked back with no real feedback.",
        "Career progression for [[ethnic minority]] staff here is a glass ceiling nobody talks about.",
        "My manager {name} told me to wait my turn, but my turn never comes.",
    ),
    "discrimination_from_staff": (
        "There are double standards: white colleagues can be late, we are written up.",
        "My manager approves annual leave for everyone else and refuses mine around [[Eid]].",
        "I was treated differently from day one, given the tasks no one else wanted.",
        "The [[consultant]] {dr} speaks to the [[Black]] staff in a completely different tone.",
        "Rota requests from [[Asian]] staff are ignored while others get what they ask for.",
    ),
    "microaggressions": (
        "People keep mispronouncing my name and then give me a nickname instead.",
        "I get asked where I am really from at least once a week.",
        "Colleagues touch my hair and call it banter when I object.",
        "People assume I am the [[healthcare assistant]] even though I am the [[nurse in charge]].",
        "Jokes about curry and accents are made as if it is all harmless fun.",
    ),
    "staff_networks": (
        "The [[BAME network]] is the only place I feel safe to talk about what happens.",
        "Our [[race equality network]] gave me the confidence to apply for promotion.",
        "The [[ethnic minority staff network]] is valued but the chair gets no protected time.",
        "Peer support from the network helped me through a grievance.",
        "I found out about the [[BAME network]] from {name} and it changed my experience here.",
    ),
    "speaking_up": (
        "I raised concerns with the [[Freedom to Speak Up Guardian]] and was labelled a troublemaker.",
        "When I reported racism nobody believed me and I was moved to another ward.",
        "People are too scared to speak up because of reprisals.",
        "I emailed HR at {email} about the abuse and never got a reply.",
        "I do not feel psychologically safe to raise anything with my manager.",
    ),
    "leadership_allyship": (
        "Our [[chief nurse]] talks about race equality but nothing changes on the ground.",
        "My [[ward manager]] is a real ally and challenges racist comments straight away.",
        "Reverse mentoring with a director made them finally see what we deal with.",
        "We need role models, senior leaders who look like us and speak up for us.",
        "Leaders say the right words at [[Black History Month]] and then disappear.",
    ),
    "tokenism": (
        "I am wheeled out for photos and panels as the diversity face of the department.",
        "They put me on the interview panel to tick a box but ignore my views.",
        "It feels like a tick-box exercise, a diversity hire so the figures look better.",
        "I was asked to join every working group because they needed someone [[Black]] in the room.",
    ),
    "resistance_backlash": (
        "When we talk about race some white colleagues roll their eyes and say it is political correctness.",
        "There is resentment about the network, people asking why there is no white network.",
        "Any race equality work gets called reverse racism by some staff.",
    ),
    "belonging_inclusion": (
        "I feel like an outsider in my own team after six years.",
        "I do not feel valued or included, I just feel tolerated.",
        "I am often left out of team socials and the group chat.",
        "For the first time I feel I belong since our new manager arrived.",
        "Being a [[Muslim]] woman in hijab, I never feel fully accepted here.",
    ),
    "wellbeing_impact": (
        "The stress of it has affected my mental health and I have been off sick.",
        "I go home exhausted from having to prove myself twice as hard every day.",
        "I cry in my car before shifts and my GP has put me on antidepressants.",
        "It is emotionally draining to always be on guard.",
        "I called the staff wellbeing line on {phone} because I could not cope.",
    ),
    "international_staff": (
        "As an [[internationally educated nurse]] from the [[Philippines]], my experience was not recognised.",
        "[[Overseas nurses]] are told to be grateful and not to complain because of their visas.",
        "I trained in [[India]] and was made to start again at [[band 5]] despite ten years of experience.",
        "The visa rules mean I cannot leave a bad manager without risking having to go home.",
        "[[Nigerian]] doctors like me are given the rotas nobody wants.",
    ),
}

#: code id -> sentences a white respondent might write about it (fewer codes apply)
WHITE_SENTENCES: dict[str, tuple[str, ...]] = {
    "resistance_backlash": (
        "I think all this focus on race is divisive and treats white staff unfairly.",
        "Why is there a [[BAME network]] but nothing for white working-class staff?",
        "Equality training feels like we are being told we are all racist.",
    ),
    "leadership_allyship": (
        "I try to be an ally and challenge comments when I hear them.",
        "Our director, {name}, has been a visible champion for race equality.",
        "As a manager I have learnt a lot from reverse mentoring with a [[Black]] colleague.",
    ),
    "belonging_inclusion": (
        "I feel valued and part of a good team.",
        "Our team is very inclusive and welcomes everyone.",
    ),
    "bullying_from_staff": (
        "I have seen [[ethnic minority]] colleagues bullied and did not know how to help.",
        "There is a culture of bullying on {ward} that affects everyone.",
    ),
    "staff_networks": ("The [[staff networks]] do good work and should be given more time.",),
    "international_staff": (
        "The [[international nurses]] who joined us need much better pastoral support.",
    ),
    "wellbeing_impact": ("Staffing levels mean everyone is burnt out.",),
}

#: code id -> answers to "What one thing would improve race equality where you work?"
IMPROVEMENT_SENTENCES: dict[str, tuple[str, ...]] = {
    "recruitment_shortlisting": (
        "Diverse interview panels and anonymised shortlisting.",
        "Make every interview panel include an independent [[ethnic minority]] member.",
    ),
    "career_progression": (
        "Fair and transparent promotion, with feedback when people are turned down.",
        "Proper career conversations so [[ethnic minority]] staff are not left at [[band 5]].",
    ),
    "training_development": (
        "Equal access to funded courses and secondments.",
        "Ring-fenced places on leadership programmes for [[Black]] and [[Asian]] staff.",
    ),
    "leadership_allyship": (
        "Leaders who actually act on what they say.",
        "Reverse mentoring for every [[board]] member.",
    ),
    "staff_networks": ("Give the [[BAME network]] chair protected time and a budget.",),
    "speaking_up": (
        "Take reports of racism seriously and protect the people who raise them.",
        "Someone independent to report to, not HR.",
    ),
    "disciplinary_process": (
        "A check before any formal disciplinary so that [[Black staff]] are not referred for things others are not.",
    ),
    "abuse_from_public": (
        "Zero tolerance of racist abuse from patients, with managers who back staff up.",
    ),
    "bullying_from_staff": ("Deal with the bullies instead of moving the victims.",),
    "representation_seniority": (
        "More [[ethnic minority]] people on the [[board]] and in senior posts.",
    ),
    "microaggressions": ("Teach people that 'banter' about accents and food is not harmless.",),
    "tokenism": ("Stop using us as the diversity photo and listen to us.",),
    "resistance_backlash": ("Treat everyone the same instead of singling out groups.",),
}

#: sentences with no code, to make answers read like real ones
NEUTRAL_SENTENCES: tuple[str, ...] = (
    "Staffing is a problem across the whole hospital.",
    "Parking is a nightmare for night shifts.",
    "Overall I like my job and my patients.",
    "The workload on the wards has been unbearable since covid.",
    "I am a [[staff nurse]] on nights.",
    "I work as a [[porter]] and see a lot of what goes on.",
    "I have worked here for over ten years.",
    "I am a [[band 6]] [[physiotherapist]].",
)

#: sentences whose only job is to carry an identifier the way people really leave them in
#: free text (contact details, reference numbers); each has a code or none
IDENTIFIER_SENTENCES: tuple[tuple[str, str], ...] = (
    ("", "Please contact me on {phone} or {email} if you want to know more."),
    ("", "You can reach me at {email}, I am happy to talk."),
    ("", "My staff ID is {staff_id} if you need to check my record."),
    (
        "disciplinary_process",
        "The case reference was my employee number {staff_id} and the hearing was on {date}.",
    ),
    ("", "I live at {postcode} and the commute is long."),
    ("abuse_from_public", "The patient (NHS number {nhs_number}) was abusive on {date}."),
    (
        "disciplinary_process",
        "They wrote to my home at {postcode} with my NI number {nino} on the letter.",
    ),
    (
        "career_progression",
        "My GMC number is {gmc} and I have been a [[registrar]] for nine years.",
    ),
    (
        "discrimination_from_staff",
        "I am a [[staff grade doctor]] (GMC {gmc}) and I am treated as junior to everyone.",
    ),
    ("", "My NMC PIN {nmc} is due for revalidation and I still have not had my appraisal."),
    ("staff_networks", "Follow our network on {handle} or see {url} for our events."),
    ("speaking_up", "I posted about it as {handle} and was told off for it."),
    ("", "I started at {hospital} on {date}."),
    ("bullying_from_staff", "Since moving to {ward} at {hospital} I have been bullied daily."),
    ("", "Call {phone} for the rota coordinator, nobody ever answers."),
    ("", "I transferred from {trust} last year."),
)

#: sentences that name people, as free text so often does (code, template)
NAME_SENTENCES: tuple[tuple[str, str], ...] = (
    ("bullying_from_staff", "{name} from the day team undermines me constantly."),
    ("speaking_up", "I told {name} in HR and she said to let it go."),
    ("leadership_allyship", "Our [[matron]] {name} is the only one who ever stood up for me."),
    ("career_progression", "My manager {name} has blocked my promotion twice."),
    (
        "discrimination_from_staff",
        "{dr} gives the white [[junior doctors]] the teaching and us the paperwork.",
    ),
    ("bullying_from_staff", "My line manager is {name} and she makes my life hell."),
    ("staff_networks", "Thanks to {name}, who chairs the [[BAME network]], I found support."),
    ("microaggressions", "A colleague called {name} keeps calling me by the wrong name."),
    ("abuse_from_public", "When the patient abused me, {sister} just laughed."),
    (
        "leadership_allyship",
        "{name} our [[deputy director of nursing]] mentors me and it has made a real difference.",
    ),
    ("", "I work with {name} and {name} on nights."),
    ("wellbeing_impact", "My colleague {name} left because of the stress and I may follow."),
)

#: questions interviewers ask in the synthetic transcripts
INTERVIEWER_QUESTIONS: tuple[str, ...] = (
    "Thank you for agreeing to talk to me. Can you start by telling me about your role?",
    "How would you describe your experience of working here as an ethnic minority member of staff?",
    "Can you tell me about a time you felt treated differently?",
    "What happened when you raised it?",
    "How has that affected you?",
    "What about opportunities for training and promotion?",
    "Is there anything that has helped?",
    "What one thing would you change?",
    "Is there anything else you would like to add?",
)

#: short and empty answers that real exports are full of
EMPTY_ANSWERS: tuple[str, ...] = ("", "", "", "N/A", "n/a", "None", "-", "no comment", "NA", ".")
