"""Real false findings and misses that were fixed, kept so they stay fixed (issue 13).

Each case is real text (CUAD, CC BY 4.0; Open Terms Archive, ODC-BY 1.0) with what castguard must and must
not say about it, judged by taxonomy v1.1. Whole documents are in tests/corpus/regress_*.txt (see NOTICE.md).
"""

from __future__ import annotations

import pytest
from conftest import CORPUS, scan_clause, scan_text

from castguard.scan import scan


def _labels(report) -> set[str]:
    return {lab.label for labels in report.labels.values() for lab in labels}


# (name, real clause text, labels that must be present, labels that must be absent)
CASES = [
    (
        "no_sublicence_is_a_protection",
        # 49ers / Violin Memory stadium sponsorship, licence of marks
        "Sponsor shall have no sub-license or pass-through rights.",
        {"protective:assignment_sublicensing"},
        {"assignment_sublicensing"},
    ),
    (
        "a_perpetual_licence_you_grant_is_unbounded",
        # Zoom terms of service: the licence of the users' Customer Content, defined elsewhere
        "You grant Zoom a perpetual, worldwide, non-exclusive, royalty-free, sublicensable, and transferable license "
        "and all other rights required or necessary for the Permitted Uses.",
        {"unbounded_term_scope"},
        set(),
    ),
    (
        "an_age_floor_under_18_admits_minors",
        # TikTok terms of service: users of 13 to 17 are minors
        "You can only use the Platform if you are 13 years or older, although for some features you need to be older "
        "(we will tell you when this is the case).",
        {"representation_or_minor_gap"},
        set(),
    ),
    (
        "days_of_notice_are_no_age",
        # Logan's Roadhouse sponsorship, insurance
        "Such policies shall provide for at least fifteen (15) days' written notice to Logan's of the cancellation or "
        "substantial modification thereof.",
        set(),
        {"representation_or_minor_gap"},
    ),
    (
        "indemnity_is_not_a_reuse_grant",
        # Playboy / eFashion, s. 12.1 (an indemnity that lists derivative works among the claims)
        "EFS shall indemnify, defend and hold Client, its parent, subsidiaries and affiliates harmless against any "
        "claims arising out of any third party claim relating to the photographs of Playmates, including any "
        "derivative works of the Playboy Content.",
        set(),
        {"reuse_other_projects", "digital_alteration", "assignment_sublicensing"},
    ),
    (
        "vendor_assigning_to_the_company_is_not_onward_transfer",
        # Playboy / eFashion, s. 1.1(f)(i): the photo vendor assigns the shoot to the brand
        "(i) Client shall own all content produced pursuant to Section 1.1(f) (whether or not actually used), and "
        "EFS hereby assigns to Client all right, title and interest, including all rights in copyright, in and to "
        "the photographs and materials.",
        set(),
        {"assignment_sublicensing"},
    ),
    (
        "information_to_licensees_is_not_a_sublicence",
        # Playboy / eFashion, s. 1.1(f)(ii)
        "In addition, during the Term, EFS may use such photographs and materials to provide information to Client "
        "Licensees to better define consumer purchasing habits, refine the design and performance of the Websites.",
        set(),
        {"assignment_sublicensing"},
    ),
    (
        "a_defined_business_is_a_named_purpose",
        # Playboy / eFashion, s. 1.2(b)
        "(b) Client will provide image and descriptive content, the selection of which shall be at Client' "
        "discretion, subject to rights availability and the license grant contained in Section 7.1 (collectively, "
        "the \"Playboy Content\"), for use by EFS in connection with the Playboy Commerce Business.",
        set(),
        {"reuse_other_projects"},
    ),
    (
        "manipulating_a_brand_mark_is_not_altering_a_performance",
        # Playboy / eFashion, approvals of licensed products
        "Client shall have final approval with respect to the following elements of the Products: (i) selection of "
        "Client's images for use on such Merchandise; (ii) manipulation and adaptation of the Playboy Marks for "
        "reproduction on such Merchandise.",
        set(),
        {"digital_alteration"},
    ),
    (
        "force_majeure_performance_is_not_a_performers",
        # Playboy / eFashion, force majeure
        "Neither party to this Agreement shall be liable for its failure to perform any of its obligations hereunder "
        "during any period in which such performance is delayed by circumstances beyond its reasonable control (each "
        "a \"Force Majeure Event\"), including but not limited to: fire, act of nature, embargo, riot, or the "
        "intervention of any government authority; provided, however, that as soon as reasonably practicable prior to "
        "any such circumstance, and in any event promptly thereafter, the affected party (a) has so notified the other "
        "in writing; (b) takes reasonable measures to avoid or limit the effect or duration of such circumstances; and "
        "(c) cooperates with the other party to reasonably alter its obligations hereunder and/or resume performance "
        "under this Agreement as soon as reasonably practicable.",
        set(),
        {"digital_alteration"},
    ),
    (
        "brand_appearance_is_not_a_likeness",
        # Playboy / eFashion, s. 1.1
        "EFS shall maintain the shopping areas of the Websites consistent with the style guides (as modified for "
        "e-commerce) to maximize sales, brand appearance and marketability.",
        set(),
        {"digital_alteration"},
    ),
    (
        "reversion_to_talent_is_a_protection",
        # LegacyEducationAlliance / T&B (Tarek El Moussa) development agreement, s. 11.3
        "Upon termination of the license hereunder, all rights and privileges in and to the Licensed Intellectual "
        "Property granted to the LEA herein shall automatically revert to T&B or its nominee, and the LEA shall "
        "immediately cease any use thereof.",
        {"protective:unbounded_term_scope"},
        {"assignment_sublicensing", "no_revocation_or_suspension", "unbounded_term_scope"},
    ),
    (
        "platform_promise_not_to_train_is_a_protection",
        # Zoom terms of service, s. 10
        "Zoom does not use any of your audio, video, chat, screen sharing, attachments or other "
        "communications-like Customer Content (such as poll results, whiteboard and reactions) to train Zoom or "
        "third-party artificial intelligence models.",
        {"protective:ai_training_grant"},
        {"ai_training_grant", "consent_buried_or_bundled"},
    ),
    (
        "recital_is_not_a_grant",
        # Berkshire Bank / Geno Auriemma endorsement agreement, recitals
        "WHEREAS, Berkshire desires to obtain the right to use the name, likeness, and endorsement services of "
        "Auriemma in connection with the advertisement and promotion of Berkshire's Financial Services.",
        set(),
        {"silent_broad_legacy_grant", "unbounded_term_scope", "objectionable_depiction"},
    ),
    (
        "warranty_of_authority_is_not_a_grant",
        # HDS (Pharmagen) / Paul Silas endorsement agreement
        "Each of the parties hereto represents and warrants that it has full right and power to enter into this "
        "Agreement, to perform all obligations to be performed by it hereunder, and to grant all rights hereunder "
        "granted without the consent of any third party.",
        set(),
        {"assignment_sublicensing", "consent_conditioned_or_waived", "unbounded_term_scope"},
    ),
    (
        "franchise_training_is_not_ai_training",
        # JOINTCORP franchise agreement, s. 9.1
        "We possess certain unique confidential and proprietary information and trade secrets consisting of the "
        "following categories of information, methods, techniques, products, and knowledge developed by us, "
        "including the training of your personnel and the methods of operating the Franchise.",
        set(),
        {"ai_training_grant", "consent_buried_or_bundled", "data_security_deletion_missing"},
    ),
    (
        "a platform user who does not consent to ai use is protected",
        # DeviantArt terms, "Artificial Intelligence Purposes"
        "When a DeviantArt user does not consent to third party use of their Content for Artificial Intelligence "
        "Purposes, other users of the Service and third parties accessing the Site are prohibited from using such "
        "Content (labeled with the noai directive) to train an artificial intelligence system.",
        set(),
        {"ai_training_grant"},
    ),
    # fourth session: real false findings and misses on platform terms, fixed and kept
    (
        "a_content_policy_that_mentions_ai_content_creates_no_synthetic_performer",
        # Dailymotion terms, Prohibited Content Policy
        "These rules apply to all forms of content broadcasted on the Dailymotion Service, including videos available "
        "on the platform and/or streamed live, video descriptions or titles, thumbnails, keywords, documents, "
        "playlists, channels, and usernames, whether real or generated using artificial intelligence or synthetic "
        "content.",
        set(),
        {"synthetic_substitution"},
    ),
    (
        "no_duty_to_monitor_content_for_any_purpose_is_not_a_depiction_grant",
        # DeviantArt terms
        "DeviantArt has no ability to control the Content you may upload, post or otherwise transmit using the "
        "Service and does not have any obligation to monitor such Content for any purpose.",
        set(),
        {"objectionable_depiction"},
    ),
    (
        "moderation_at_sole_discretion_is_not_a_depiction_grant",
        # Flickr terms of use
        "SmugMug reserves the right (but is not obligated) to (i) review or screen any User Content submitted to the "
        "Site or otherwise submitted through the Services; (ii) edit any User Content submitted through the Services "
        "Services (but for photos and videos this will consist of mere editing to address the technical "
        "characteristics of the Service or of Flickr Vendors, not artistic authorship); and/or (iii) remove or take "
        "down any User Content from the Services for any reason, at any time, without prior notice, at our sole "
        "discretion.",
        set(),
        {"objectionable_depiction"},
    ),
    (
        "labels_the_user_adds_alter_nothing",
        # Flickr terms of use
        "The Flickr Data Processing Addendum supplements these Terms of Use and applies with respect to (i) the "
        "photos and videos you upload, and (ii) any labels, tags, comments, descriptions or categorizations that you "
        "add to those photos and videos.",
        set(),
        {"digital_alteration"},
    ),
    (
        "a_feedback_licence_is_not_the_persons_licence",
        # Flickr terms of use
        "You hereby grant SmugMug a royalty-free, sublicensable, transferable, perpetual, irrevocable license in and "
        "to any feedback to use in any matter related to the operation of our business.",
        set(),
        {"no_revocation_or_suspension", "unbounded_term_scope"},
    ),
    (
        "other_products_a_buyer_orders_are_not_reuse",
        # Flickr terms of sale
        "These Terms of Sale form a part of the Terms of Use applicable to your purchase of any photos, videos, or "
        "other Products through the Services.",
        set(),
        {"reuse_other_projects", "replica_compensation_missing"},
    ),
    (
        "a_tool_run_on_other_products_is_not_reuse",
        # ArtStation terms, s. 46
        "We use Safety and Discovery Tools on ArtStation and Epic's other products and services to make sure the "
        "content we host and users interactions follow our Content Guidelines and Community Rules.",
        set(),
        {"reuse_other_projects"},
    ),
    (
        "an_indemnity_against_third_party_claims_is_not_a_waiver",
        # Quora terms of service
        "You agree to release, indemnify, and defend Quora Entities from all third-party claims and costs (including "
        "reasonable attorneys' fees) arising out of or related to: (1) your use of the Quora Platform, (2) Your "
        "Content, (3) your conduct or interactions with other users of the Quora Platform, or (4) your breach of "
        "any part of this Agreement.",
        set(),
        {"consent_conditioned_or_waived"},
    ),
    (
        "a_3d_model_on_a_model_sharing_site_is_not_a_replica_of_the_user",
        # Sketchfab terms of use
        "During the operation of the Services, Users may upload certain User Content including, without limitation, "
        "3D models.",
        set(),
        {"replica_creation_grant", "replica_use_unspecified"},
    ),
    (
        "no_substantive_editorial_changes_protects_against_alteration",
        # Tumblr terms of service
        'The reference in this license to "creat[ing] derivative works" is not intended to give Tumblr a right to '
        "make substantive editorial changes or derivations, but does, for example, enable reblogging.",
        {"protective:digital_alteration"},
        {"digital_alteration"},
    ),
    (
        "the_voice_talent_statement_grants_a_voice_model_built_from_the_recordings",
        # Microsoft Custom Neural Voice verbal statement (MIT)
        "I [state your first and last name] am aware that recordings of my voice will be used by [state the name of "
        "the company] to create and use a synthetic version of my voice.",
        {"replica_creation_grant", "ai_training_grant"},
        set(),
    ),
    (
        "a_licence_that_continues_for_deleted_content_cannot_be_revoked",
        # ArtStation terms
        "The License will continue in full force and effect for all of Your Content, including content the Site "
        "deletes.",
        {"no_revocation_or_suspension"},
        set(),
    ),
    (
        "a_licence_not_revoked_for_content_already_sublicensed",
        # Imgur terms
        "To the extent that you delete any such file or content from the public portions of our site, the license "
        "you grant to Imgur pursuant to the preceding sentence will automatically terminate, but will not be revoked "
        "with respect to any file or content Imgur has already copied and sublicensed or designated for sublicense.",
        {"no_revocation_or_suspension"},
        set(),
    ),
    (
        "a_licence_continuing_in_named_cases_only_is_not_a_surviving_licence",
        # TikTok terms (EEA)
        "However, due to the nature of the Platform and our legal obligations, the licence granted will continue "
        "after you have removed your content if:",
        set(),
        {"no_revocation_or_suspension", "unbounded_term_scope"},
    ),
    (
        "a_content_licence_for_the_companys_business_and_marketing_is_reuse",
        # Streamable terms
        "Also, when you post, store or otherwise make available User Content to the Service, you grant us a "
        "nonexclusive, royalty-free, perpetual and fully sublicensable right and license to use, reproduce, modify, "
        "create derivative works from, distribute, perform and display such User Content for our business and "
        "marketing purposes.",
        {"reuse_other_projects"},
        set(),
    ),
    (
        "any_purpose_tied_to_running_the_site_is_not_reuse",
        # OnlyFans terms of service
        "You agree to grant us a license under all your Content to perform any act restricted by any intellectual "
        "property right (including copyright) in such Content, for any purpose reasonably related to the provision "
        "and operation of OnlyFans.",
        set(),
        {"reuse_other_projects"},
    ),
    (
        "except_as_prohibited_by_law_does_not_negate_a_waiver",
        # Myspace terms
        "Except as prohibited by law, you hereby waive, and you agree to waive, any moral rights (including "
        "attribution and integrity) that you may have in any Content.",
        {"consent_conditioned_or_waived"},
        set(),
    ),
    (
        "your_profile_shown_next_to_sponsored_content_is_a_depiction_without_approval",
        # Instagram terms
        "You give us permission to show your username, profile picture, and information about your actions (such "
        "as likes) or relationships (such as follows) next to or in connection with accounts, ads, offers, and "
        "other sponsored content that you follow or engage with that are displayed on Meta Products, without any "
        "compensation to you.",
        {"objectionable_depiction"},
        set(),
    ),
    (
        "a_licence_that_ends_but_is_not_revoked_for_copies_is_no_protection",
        # Imgur terms: the licence ends on deletion "but will not be revoked" for what was already copied
        "With regard to any file or content you upload to the public portions of our site, you grant Imgur a "
        "non-exclusive, royalty-free, perpetual, irrevocable worldwide license to use, to display online and in any "
        "present or future media. To the extent that you delete any such file or content from the public portions "
        "of our site, the license you grant to Imgur pursuant to the preceding sentence will automatically "
        "terminate, but will not be revoked with respect to any file or content Imgur has already copied and "
        "sublicensed or designated for sublicense.",
        {"unbounded_term_scope", "no_revocation_or_suspension"},
        {"protective:unbounded_term_scope"},
    ),
    (
        "conditions_on_a_link_licence_to_the_user_protect_no_one",
        # Myspace terms
        "We grant you a limited, non-exclusive, revocable, non-assignable, personal, and non-transferable license "
        "to create hyperlinks to the Myspace Services, so long as the links do not use any Myspace trademarks and "
        "do not contain any content that is distasteful, offensive, defamatory or obscene.",
        set(),
        {"protective:objectionable_depiction"},
    ),
    (
        "terms_that_by_their_nature_survive_are_boilerplate",
        # Flickr terms of use
        "The terms and conditions of these Terms of Use which by their nature are intended to survive termination "
        "or expiration of Services (including, but not limited to, Indemnification, Warranty Disclaimers and "
        "Limitations of Liability) shall survive any termination or expiration of the Services.",
        set(),
        {"no_revocation_or_suspension"},
    ),
    (
        "the_company_deleting_an_account_is_not_the_persons_revocation",
        # OnlyFans terms: the licence continues; the company may close the account
        "This means that the license will continue even after your agreement with us ends and you stop using "
        "OnlyFans. If we consider that any request for a refund or chargeback request was made by you in bad faith, "
        "we have the right to suspend or delete your User account.",
        {"no_revocation_or_suspension"},
        {"protective:no_revocation_or_suspension"},
    ),
    (
        "dont_copy_for_any_purpose_binds_the_user",
        # Substack terms
        "Don't copy, reproduce, modify, translate, publish, broadcast, transmit, distribute, perform, upload, "
        "display, license, sell, commercialize or otherwise exploit for any purpose any content not owned by you "
        "unless you have prior consent from the owner of that content.",
        set(),
        {"reuse_other_projects", "replica_compensation_missing"},
    ),
]


CASES += [
    (
        "moderation_is_not_alteration",
        # Bluesky terms of service: what the platform may do with content that breaks its rules
        "By posting Your Content you grant us a worldwide licence to use your photos, videos and likeness. We may "
        "remove, block, or modify your Content if we believe it violates these Terms, our Community Guidelines, or "
        "other applicable policies.",
        set(),
        {"digital_alteration"},
    ),
    (
        "changing_the_service_is_not_alteration",
        # YouTube terms of service, "Develop, Improve and Update the Service"
        "You grant YouTube a licence to use the photos and videos of you that you upload. We may also need to alter "
        "or discontinue the Service, or any part of it, in order to make performance or security improvements.",
        set(),
        {"digital_alteration"},
    ),
    (
        "a_user_name_is_not_a_likeness",
        # ArtStation terms of service
        "By posting Your Content you grant us a worldwide licence to use your photos, videos and user name. You must "
        "select a unique user name for your account. We may modify user names as we see fit.",
        set(),
        {"digital_alteration"},
    ),
]


CASES += [
    (
        "a_licence_to_every_other_user_is_a_grant_to_third_parties",
        # Dailymotion terms of service, s. 3.2 "License granted to other users" (eighth session)
        "You also grant Users of the Dailymotion Service a worldwide, non-exclusive, free, royalty-free license "
        "(under the conditions set forth in section 3.3 below) to access Your Content, reproduce, modify, adapt, and "
        "create derivative works based on Your Content for entertainment purposes, subject to the settings you select "
        "for all or part of your Content.",
        {"assignment_sublicensing"},
        set(),
    ),
    (
        "a_licence_to_us_and_to_other_users",
        # DistroKid terms of service, "User Content and Activity", abridged: its definition of User Content first,
        # and without the warranty written into the grant ("and you represent and warrant that you have the right
        # to grant"), which makes the rules read the sentence as a warranty (noticed, left as it is)
        "Users may submit audio recordings, musical compositions, images and photographs of themselves (User "
        "Content). By uploading, publishing, modifying, displaying or otherwise submitting User Content to any part "
        "of the Services, you automatically grant to us, "
        "as well as to other users of the Services, a non-exclusive, fully paid, worldwide license to use, copy, "
        "reproduce, publicly perform, publicly display, stream and distribute such User Content.",
        {"assignment_sublicensing"},
        set(),
    ),
    (
        "a_licence_the_platform_gives_the_user_assigns_nothing",
        # YouTube terms of service, the software licence to the user
        "By posting Your Content you grant us a licence to show your videos. YouTube gives you a personal, "
        "worldwide, royalty-free, non-assignable and non-exclusive license to use the software provided to you.",
        set(),
        {"assignment_sublicensing"},
    ),
]


@pytest.mark.parametrize("name,text,present,absent", CASES, ids=[c[0] for c in CASES])
def test_real_clause(tmp_path, name, text, present, absent):
    report = scan_clause(tmp_path, text)
    labels = _labels(report) | {f.gap for f in report.findings}
    assert present <= labels, f"{name}: missing {present - labels}"
    assert not (absent & labels), f"{name}: wrongly raised {absent & labels}"


@pytest.mark.parametrize(
    "name",
    [
        "regress_outofscope_franchise_training_jointcorp.txt",
        "regress_outofscope_ip_moral_rights_zebra.txt",
        "regress_outofscope_stadium_sponsorship_violin.txt",
    ],
)
def test_business_contracts_are_out_of_scope_with_no_findings(name):
    # the first two once got 9-12 findings (AI training from staff training, replica grants from product IP); the
    # 49ers stadium sponsorship was in scope on "this Agreement does not grant it any rights with respect to the
    # name, likeness, signature ... of any player", with a sublicensing gap from "Sponsor shall have no sub-license"
    report = scan(CORPUS / name)
    assert not report.in_scope, report.scope_reason
    assert report.findings == ()
    assert report.document_type == "contract"


@pytest.mark.parametrize(
    "name,person",
    [
        ("regress_inscope_driver_likeness_logans.txt", "driver"),
        ("regress_inscope_drivers_likeness_prolong.txt", "driver"),
    ],
)
def test_team_sponsorships_granting_a_drivers_likeness_are_in_scope(name, person):
    # once called out of scope: a silent miss, the worst failure for a union rep
    report = scan(CORPUS / name)
    assert report.in_scope
    assert person.lower() in report.scope_reason.lower(), report.scope_reason
    start, end = report.scope_evidence
    evidence = report.document.text[start:end]
    assert "WHEREAS" not in evidence.upper()[:40]
    assert "likeness" in evidence.lower()


@pytest.mark.parametrize(
    "name,in_scope,who",
    [
        # a likeness licensed through a defined term: "Licensed Intellectual Property" means ... the name, image,
        # and likeness of the T&B Personality; "T&B Personality" shall mean Tarek El Moussa
        ("regress_facts_fso_legacy.txt", True, "Tarek El Moussa"),
        # "shall not use Dr. Murray's name or likeness ... unless specifically approved by Dr. Murray": a use that
        # needs his approval engages him
        ("regress_facts_three_parties_emerald.txt", True, "Dr. Murray"),
        # "... and, solely as allowed pursuant to this Agreement, to the Dr. C. Everett Koop name", beside logos
        ("regress_facts_sponsor_drkoop.txt", True, "Koop"),
        # an AI chatbot whose "Input (e.g., text, audio, images, video ...)" is licensed perpetually: users' voices
        ("regress_tos_ai_voice_input_grok.txt", True, ""),
        # an artists' site that licenses "the name that you provide in association with Your Content", although its
        # terms talk about generative AI at length
        ("regress_tos_member_name_artstation.txt", True, "name"),
        # a listener's terms: "content that you can stream" and "an immersive audio experience" are not uploads
        ("regress_tos_listener_spotify.txt", False, ""),
        # the signature page and IP exhibit of Kathy Whitworth's endorsement agreement: the grant itself is not in the
        # filing, but an endorsement agreement with an individual professional lends her name and likeness
        ("regress_facts_exhibit_parties_womensgolf.txt", True, "Kathy Whitworth"),
        # Playboy / eFashion: Playmates photographed for the catalogues under model releases, and a perpetual licence
        # of "such photographs" that names no one
        ("cuad_contentlicense_playboy_efashion.txt", True, "models"),
    ],
)
def test_real_scope_decisions(name, in_scope, who):
    report = scan(CORPUS / name)
    assert report.in_scope is in_scope, report.scope_reason
    assert who in report.scope_reason, report.scope_reason
    if not in_scope:
        assert report.findings == ()
        assert "general AI" not in report.scope_reason  # a music service is not an AI tool


def test_terms_that_mention_an_algorithm_are_still_silent_on_ai():
    """Bluesky licenses users' content "in any format or media" and says nothing about AI training or replicas;
    a "recommender algorithm" does not make it deal with AI (taxonomy: silent broad grant). "Use your Content to
    develop ... future products and services" is product development, not an AI-training grant."""
    report = scan(CORPUS / "regress_tos_silent_broad_bluesky.txt")
    gaps = {f.gap for f in report.findings}
    assert "silent_broad_legacy_grant" in gaps
    assert "ai_training_grant" not in gaps
    broad = next(f for f in report.findings if f.gap == "silent_broad_legacy_grant")
    assert "any format or media" in broad.evidence[0].quote


def test_use_forbidden_after_termination_is_not_a_surviving_licence(tmp_path):
    """Mossimo / David Duval endorsement agreement, s. 1(d) and s. 12: "following termination ... Company shall not
    advertise ..." once raised "consent cannot be revoked" from the words "following termination"."""
    report = scan_clause(
        tmp_path,
        '"Duval Identification" means the right to use, subject to the provisions hereof, Duval\'s name, fame, '
        "nickname, initials, autograph, voice, video or film portrayals, facsimile signature, photograph, likeness "
        "and image or facsimile image. It is further agreed that following termination of the Contract Period, "
        "Company shall not advertise, promote, distribute or sell any item whatsoever in connection with the use of "
        "any name, figure, design, logo, trademark or trade name similar to or suggestive of the Duval "
        "Identification.",
    )
    gaps = {f.gap for f in report.findings}
    assert not gaps & {"no_revocation_or_suspension", "unbounded_term_scope"}, gaps


def test_a_user_leaving_the_site_does_not_end_the_platforms_perpetual_licence():
    """ArtStation: "(a) you will immediately cease all use of the Site ..." is the user's duty on termination; it
    once counted as "use ends" and hid the perpetual, irrevocable licence of Your Content."""
    report = scan(CORPUS / "regress_tos_member_name_artstation.txt")
    assert "unbounded_term_scope" in {f.gap for f in report.findings}
    assert not any("cease all use of the Site" in e.quote for p in report.protections for e in p.evidence)


def test_the_companys_own_approval_and_a_liability_carve_out_protect_no_one():
    """ArtStation: "we will have the right to review, approve, or disapprove those terms" is Epic's approval of a
    seller's licence terms, not the person's approval of how they are shown; "claims ... in the event of data
    protection violations shall remain unaffected" keeps a liability, it secures no data. Both were listed as
    protections (the labels list neither)."""
    report = scan(CORPUS / "regress_tos_member_name_artstation.txt")
    quotes = {p.gap: " ".join(e.quote for e in p.evidence) for p in report.protections}
    assert "review, approve, or disapprove" not in quotes.get("objectionable_depiction", "")
    assert "data protection violations" not in quotes.get("data_security_deletion_missing", "")
    sketchfab = scan(CORPUS / "regress_tos_sketchfab.txt")
    assert not any("data protection violations" in e.quote for p in sketchfab.protections for e in p.evidence)


@pytest.mark.parametrize(
    "clause,not_raised",
    [
        # Vimeo: how disputes are heard is no waiver of publicity or moral rights, and "irrevocably" there grants nothing
        ("EACH PARTY WAIVES ITS RIGHT TO GO TO COURT, TO A TRIAL BY JURY, AND TO PARTICIPATE IN A CLASS ACTION, CLASS "
         "ARBITRATION, OR OTHER REPRESENTATIVE PROCEEDING WITH RESPECT TO ANY COVERED PRIVACY CLAIM. IN ANY SUCH "
         "ACTION, VIMEO AND YOU IRREVOCABLY WAIVE ANY RIGHT TO A TRIAL BY JURY.",
         {"consent_conditioned_or_waived", "no_revocation_or_suspension", "unbounded_term_scope"}),
        # Twitch: "forever" says how long a release of claims lasts, not a licence
        ("To the furthest extent permitted by applicable law, you hereby agree that Twitch shall not be liable for any "
         "unauthorized copying, use, or distribution of User Content by third parties and release and forever waive any "
         "claims you may have against Twitch for any such unauthorized copying or usage of the User Content, under any "
         "theory.",
         {"unbounded_term_scope"}),
        # Bandcamp: a dated change-log entry reports an edit of the terms
        ("August 8, 2014: Modified [Fan Personal Information - Fans](#faninfo) section to clarify use of e-mail "
         "addresses with respect to Fan Accounts, and [Intellectual Property Rights](#rights) section to cover music "
         "videos.",
         {"digital_alteration"}),
        # SoundCloud: the user's own duty not to impersonate anyone makes no replica
        ("(xi) You must not deliberately impersonate any person or entity or otherwise misrepresent your affiliation "
         "with a person or entity, for example, by registering an account in the name of another person or company, "
         "or sending messages or making comments using the name of another person or using the output of generative "
         "artificial intelligence to impersonate voices or likenesses without authorization.",
         {"replica_creation_grant", "ai_disclosure_missing", "replica_use_unspecified", "objectionable_depiction"}),
    ],
    ids=["vimeo-jury-waiver", "twitch-forever-release", "bandcamp-change-log", "soundcloud-impersonation-duty"],
)
def test_real_platform_sentences_that_grant_nothing(tmp_path, clause, not_raised):
    """Sentences of real platform terms this repository had never read (Vimeo, Twitch, Bandcamp, SoundCloud, from
    Open Terms Archive), each once cited as the evidence of a gap: a finding may stand on other clauses, never
    on these. Read in platform terms in scope, where they were found."""
    terms = (
        "Terms of Service\n\n1. Your Content. You may upload videos, music and livestreams of yourself (\"User "
        "Content\") to the Services. You grant us a non-exclusive, royalty-free, worldwide license to host, display "
        "and distribute your User Content on the Services for the term of these Terms.\n\n2. Other Terms. "
        + clause
        + "\n"
    )
    report = scan_text(tmp_path, terms)
    assert report.in_scope
    for f in report.findings:
        if f.gap in not_raised:
            assert not any(clause[:60] in " ".join(e.quote.split()) for e in f.evidence), (f.gap, f.evidence)


def test_a_user_duty_that_names_media_does_not_make_terms_about_peoples_media(tmp_path):
    """Academia.edu and Allrecipes were called in scope on one sentence each: "You will not use, copy, ... stream,
    broadcast or otherwise exploit the Site" names media, but it is the user's duty about the service's material.
    Terms whose only sentence about media is such a duty are out of scope; a sentence in which users upload their
    own photos still counts (Substack, in scope, is kept in scope by the reference comparison)."""
    terms = (
        "Terms of Service\n\n1. Ownership. Members may post papers, comments and other content (the \"Member "
        "Content\"). By posting Member Content, you grant us a worldwide, irrevocable, perpetual, non-exclusive, "
        "royalty-free license to use, copy, display and distribute such Member Content.\n\n2. Restrictions. You will "
        "not use, copy, adapt, modify, prepare derivative works based upon, distribute, license, sell, transfer, "
        "publicly display, publicly perform, transmit, stream, broadcast or otherwise exploit the Site, Services or "
        "Collective Content, except as expressly permitted in these Terms.\n"
    )
    report = scan_text(tmp_path, terms)
    assert report.document_type == "terms_of_service" and not report.in_scope and report.findings == ()
    assert scan_text(tmp_path, terms.replace("Members may post papers", "You may upload your photos, videos")).in_scope


def test_the_scope_of_terms_rests_on_a_grant_not_on_the_users_responsibility(tmp_path):
    """Discord's scope once rested on "you are responsible for ensuring that you have the right to grant the
    licenses in this section" (AWS's on "You are responsible for maintaining licenses ... of Your Content"); the
    sentence that grants is "Your content is yours, but you give us a license ... to it when you use Discord"."""
    report = scan_text(
        tmp_path,
        "Terms of Service\n\n1. Your content. You may upload your photos, videos and music to the services. If you "
        "choose to add content to the services, you are responsible for ensuring that you have the right to do so, "
        "that you have the right to grant the licenses in this section of these terms, and that your content is "
        "lawful. Your content is yours, but you give us a license (which is a form of permission) to it when you use "
        "Discord.\n",
    )
    a, b = report.scope_evidence
    assert report.in_scope and report.document.text[a:b].startswith("Your content is yours, but you give us a license")


def _corpus_files():
    from conftest import SAMPLES

    names = [p for p in sorted(CORPUS.iterdir()) if p.suffix in (".txt", ".pdf", ".docx")]
    return names + [p for p in sorted(SAMPLES.iterdir()) if p.suffix in (".txt", ".md", ".pdf", ".docx") and p.name != "README.md"]


@pytest.mark.parametrize("path", _corpus_files(), ids=lambda p: p.name)
def test_every_quote_is_verbatim(path):
    """Findings, protections, scope evidence and the words explanations put in quotation marks are all the
    document's own words (issue 13: evidence is exact)."""
    import re

    report = scan(path)
    text = " ".join(report.document.text.split())
    low = text.lower()
    evidence = [e for f in report.findings for e in f.evidence] + [e for p in report.protections for e in p.evidence]
    for e in evidence:
        quote = e.quote[:-1] if e.quote.endswith("…") else e.quote
        assert quote in text, f"{path.name}: quote not in the document: {e.quote[:80]!r}"
        assert " ".join(report.document.text[e.start : e.end].split()).startswith(quote), f"{path.name}: offsets"
    explanations = [f.explanation for f in report.findings] + [p.explanation for p in report.protections]
    for ex in explanations + [report.scope_reason]:
        for quoted in re.findall(r"“([^”]+)”", ex):
            assert quoted.lower() in low, f"{path.name}: {quoted!r} is quoted but not in the document"


@pytest.mark.parametrize(
    "path,person,not_person",
    [
        (CORPUS / "cuad_endorsement_bizzingo_joetheismann.pdf", "Joseph Theismann", "Ridgetop"),
        (CORPUS.parent.parent / "sample_contracts" / "voiceover_brightwave.docx", "Owen Tremlett", "Carrow Hill"),
        (CORPUS.parent.parent / "sample_contracts" / "film_actor_harborlight.pdf", "Dana R. Whitcombe", "Linden"),
    ],
    ids=["theismann-not-his-street", "tremlett-not-his-flat", "whitcombe-not-her-agent"],
)
def test_scope_reason_names_the_person_never_an_address(path, person, not_person):
    report = scan(path)
    assert person in report.scope_reason, report.scope_reason
    assert not_person not in report.scope_reason


# the prohibited-conduct list of the ArtStation terms, and a purpose listed under a grant (Dailymotion), as laid out
# in the real documents (Open Terms Archive, ODC-BY 1.0)
LISTS = """PREAMBLE

### 24. Use of the Services

You must not:

(a) reverse engineer, de-compile, hack, disable or interfere with any of the Services;

(d) use the Site or the Services to do or attempt to do any of the following without prior written permission:

1.  send spam or other bulk messages;
2.  gain unauthorized access to any data, network or system;
10.  collect, aggregate, mine, scrape or otherwise use NoAI Content (i) in datasets utilized by Generative AI Programs; (ii) in the development of Generative AI Programs; or (iii) as inputs to Generative AI Programs.

### 25. Processing

Dailymotion may further Process Third Party Personal Data present in Your Content, as Controller, for purposes that are compatible with the initial processing purposes, namely:

*   Market studies;

*   Research and development, including fostering AI development.
"""


def test_list_items_take_their_sense_from_the_lead_in(tmp_path):
    """A scraping ban in a "You must not:" list grants no AI training; an AI purpose listed under "may further
    Process ... Your Content ... namely:" does, with the item as the evidence."""
    from conftest import PREAMBLE

    path = tmp_path / "terms.txt"
    path.write_text(LISTS.replace("PREAMBLE", PREAMBLE), encoding="utf-8")
    report = scan(path)
    training = [f for f in report.findings if f.gap == "ai_training_grant"]
    assert training, [f.gap for f in report.findings]
    quotes = [e.quote for f in training for e in f.evidence]
    assert any("fostering AI development" in q for q in quotes), quotes
    assert not any("NoAI Content" in e.quote for f in report.findings for e in f.evidence)


def test_a_model_shoot_contract_raises_only_what_it_grants():
    """Playboy / eFashion (CUAD): once in scope, its indemnity, its vendor's assignment to the brand, a content
    definition "for use ... in connection with the Playboy Commerce Business" and a force-majeure clause raised
    reuse, assignment, alteration and pay gaps. Only the perpetual licence of the photographs is the gap."""
    report = scan(CORPUS / "cuad_contentlicense_playboy_efashion.txt")
    gaps = {f.gap for f in report.findings}
    assert "silent_broad_legacy_grant" in gaps
    broad = next(f for f in report.findings if f.gap == "silent_broad_legacy_grant")
    assert "perpetual right and license to use such photographs" in broad.evidence[0].quote
    assert not gaps & {"assignment_sublicensing", "reuse_other_projects", "replica_compensation_missing"}, gaps


def test_a_contract_in_french_is_read_by_the_french_rules():
    """Facebook's terms in French were called out of scope in silence, then reported as not read; the French
    rules now read them (tests/test_french.py has the details)."""
    report = scan(CORPUS / "regress_tos_french_facebook.txt")
    assert report.in_scope and report.scope_reason.startswith("read in French")
    assert {"objectionable_depiction", "assignment_sublicensing"} <= {f.gap for f in report.findings}


@pytest.mark.parametrize(
    "text,language",
    [
        ("Le présent contrat est conclu entre la société et vous. Vous nous accordez une licence pour utiliser "
         "votre nom et votre image dans nos produits, sans compensation, pour une durée illimitée. " * 5, "French"),
        ("El presente contrato se celebra entre la empresa y usted. Usted nos concede una licencia para usar su "
         "nombre y su imagen en nuestros productos, sin compensación, por un plazo ilimitado. " * 5, "Spanish"),
        ("Dieser Vertrag wird zwischen der Firma und dem Künstler geschlossen. Der Künstler gewährt die Rechte an "
         "seiner Stimme und seinem Bild, und die Firma darf sie für die Werbung nutzen, die nicht mit ihm abgestimmt ist. "
         * 5, "German"),
        ("The Performer grants to the Company the right to use the Performer's name, likeness and voice in all media "
         "now known or hereafter devised, and the Company shall pay the fee set out in Schedule A. " * 5, "English"),
    ],
)
def test_the_main_language_is_told_from_its_short_words(text, language):
    from castguard.classify.language import main_language

    assert main_language(text).name == language


def test_a_consent_printed_in_many_languages_is_read_in_english():
    # the Azure voice-talent statement: English first, then about 70 other languages
    from castguard.classify.language import main_language

    english = "I [state your first and last name] am aware that recordings of my voice will be used by [company] " * 8
    others = " ".join(
        ["Je suis conscient que les enregistrements de ma voix seront utilisés par la société pour créer une voix."] * 3
        + ["Ich bin mir bewusst, dass die Aufnahmen meiner Stimme von der Firma verwendet werden, um eine Stimme zu erstellen."] * 3
        + ["Soy consciente de que las grabaciones de mi voz serán utilizadas por la empresa para crear una voz."] * 3
    )
    assert main_language(english + " " + others).name == "English"


def test_umbrella_terms_using_ai_tools_grant_no_training():
    """Google's umbrella terms (EEA): "we use artificial intelligence and machine learning to provide you with
    simultaneous translations" is the service's own tool, used on nobody's material; it raised an AI-training
    grant and three gaps that follow from one. "If you already shared your content with others before removing
    it" is the user's own act; it raised a transfer to third parties."""
    report = scan(CORPUS / "regress_tos_umbrella_google.txt")
    gaps = {f.gap for f in report.findings}
    labels = _labels(report)
    assert not gaps & {"ai_training_grant", "assignment_sublicensing", "consent_buried_or_bundled", "ai_disclosure_missing"}
    assert "ai_training_grant" not in labels and "assignment_sublicensing" not in labels
    # "your right to end your contract with us if our modifications create more than a minor negative impact": an
    # adjective, not a child; it raised the minors gap
    assert "representation_or_minor_gap" not in gaps


def _cited_for(report, gap: str) -> str:
    """The text of every clause a finding of ``gap`` cites, joined."""
    by_id = {c.id: c for c in report.clauses}
    return " ".join(by_id[c].text for f in report.findings if f.gap == gap for c in f.clause_ids)


@pytest.mark.parametrize(
    "relative,said",
    [
        # "The following sections will survive any termination ...: 5 (Your Content), ..." (both regional versions)
        ("corpus/ai_era/ota_reddit_terms_of_service.txt", "5 (Your Content), 7 (Things You Cannot Do)"),
        # "Upon termination, Sections 3, 8, 9, ... will continue to be operative" (section 3 holds the licence)
        ("corpus/ai_era/ota_pinterest_terms_of_service.txt", "Sections 3, 8, 9, 10, 11, 12, and 13"),
        # "For the avoidance of doubt, these Terms survive the deactivation or termination of your account."
        ("corpus/ai_era/ota_twitter_terms_of_service.txt", "these Terms survive the deactivation"),
    ],
)
def test_a_survival_clause_that_keeps_the_licence_alive_is_cited(relative, said):
    """Sixth session, clause-level labels: the survival clause is where a platform licence outlives the account."""
    from conftest import require_shared

    report = scan(require_shared(relative))
    for gap in ("no_revocation_or_suspension", "unbounded_term_scope"):
        assert said in _cited_for(report, gap), gap


@pytest.mark.parametrize(
    "relative,said",
    [
        # Legacy Education / Tarek El Moussa: "Sections 4.2; 8 (Confidentiality); ... shall survive" — the licence
        # is 4.1, and 4.2 is not 4.1
        ("corpus/cuad/LegacyEducationAllianceInc_20200330_10-K_EX-10.18_12090678_EX-10.18_Development_Agreement.txt",
         "Sections 4.2; 8 (Confidentiality)"),
        # Playboy / eFashion: "Sections 6.1 through 6.10 shall survive ... until all amounts due ... are paid"
        ("corpus/cuad/PlayboyEnterprisesInc_20090220_10-QA_EX-10.2_4091580_EX-10.2_Content_License_Agreement__"
         "Marketing_Agreement__Sales-Purchase_Agreement1.txt", "Sections 6.1 through 6.10"),
        # Tumblr: "All provisions ... that by their nature should survive termination shall survive" names none
        ("corpus/ai_era/ota_tumblr_terms_of_service.txt", "by their nature should survive"),
    ],
)
def test_a_survival_clause_that_does_not_reach_the_licence_raises_nothing(relative, said):
    from conftest import require_shared

    report = scan(require_shared(relative))
    for gap in ("no_revocation_or_suspension", "unbounded_term_scope"):
        assert said not in _cited_for(report, gap), gap


@pytest.mark.parametrize(
    "text,raised",
    [
        # Grok, Pinterest: the user may not assign, the company may without restriction
        ("These Terms, and any rights and licenses granted hereunder, may not be transferred or assigned by you, but "
         "may be assigned by us without restriction.", True),
        # TikTok
        ("These Terms, and any rights and permissions granted in them, cannot be transferred by you, but may be "
         "transferred by TikTok.", True),
        # OpenAI (ChatGPT terms)
        ("We may assign or transfer our rights or obligations under these Terms to any affiliate or subsidiary or any "
         "successor in interest of any business associated with our Services.", True),
        # Myspace
        ("Myspace may assign its rights and obligations under this Agreement and any Additional Terms, in whole or in "
         "part, to any party at any time without any notice.", True),
        # the protection and the mutual clause stay what they were
        ("We may assign this Agreement only with your prior written consent.", False),
        ("You may not assign these terms to anyone else without our written consent.", False),
    ],
)
def test_the_companys_free_assignment_of_its_rights(tmp_path, text, raised):
    """A platform's right to assign its rights (the content licence with them) to anyone is
    ``assignment_sublicensing``; the user's bar on assigning is not."""
    report = scan_clause(
        tmp_path,
        "By posting Your Content you grant us a worldwide, royalty-free licence to use your photos, videos, voice and "
        "likeness in connection with the Services. " + text,
    )
    assert ("assignment_sublicensing" in {f.gap for f in report.findings}) is raised


def test_every_clause_that_admits_minors_is_cited():
    """Reddit's terms hold a US and an EEA version, each with its own age clause: the minor finding cites both,
    and the content licence that grants AI training with no counsel or union coverage beside them."""
    from conftest import require_shared

    report = scan(require_shared("corpus/ai_era/ota_reddit_terms_of_service.txt"))
    cited = _cited_for(report, "representation_or_minor_gap")
    assert cited.count("Your Access to the Services") == 2
    assert "train AI and machine learning models" in cited


def test_every_broad_grant_is_cited_and_only_grants():
    """Myspace grants its licence three times over (the content licence, the perpetual grant of name, persona and
    likeness, the social-sharing grant): the silent-broad-grant finding cites each. A further clause is cited only
    when its grant sentence is itself broad: Flickr's "third party vendors ... host and store any Media" is not."""
    from conftest import require_shared

    myspace = scan(require_shared("corpus/ai_era/ota_myspace_terms_of_service.txt"))
    cited = _cited_for(myspace, "silent_broad_legacy_grant")
    assert "unconditional, perpetual, irrevocable, sublicensable" in cited
    assert "irrevocably grant us the sublicensable right to use and exploit your name" in cited
    flickr = scan(require_shared("corpus/ai_era/ota_flickr_terms_of_service.txt"))
    assert "third party vendors to host and store" not in _cited_for(flickr, "silent_broad_legacy_grant")


# --------------------------------------------------------------------------- from the exhaustive clause labels (2)

# (terms of service, gap, words of a sentence that must not be its evidence, a gap that must still be raised there)
NOT_EVIDENCE = [
    # "Myspace may change, alter, or modify the settings or configurations on your Device": no performance altered
    ("regress_tos_myspace.txt", "digital_alteration", "modify the settings or configurations on your Device",
     "digital_alteration"),
    # "the right of Sketchfab to edit, modify ... all or part of the descriptions, comments and/or annotations"
    ("regress_tos_sketchfab.txt", "digital_alteration", "descriptions, comments and/or annotations",
     "digital_alteration"),
    # an indemnity: "you agree to defend, indemnify and hold harmless YouTube, its Affiliates ..."
    ("regress_tos_youtube.txt", "assignment_sublicensing", "indemnify and hold harmless", "assignment_sublicensing"),
    # a warranty: "You confirm that you own all intellectual property rights ... required to grant licenses"
    ("regress_tos_onlyfans.txt", "assignment_sublicensing", "You confirm that you own", "assignment_sublicensing"),
    # a duty: "You are solely responsible for your and your End Users' compliance with all Laws ... to allow Zoom
    # and Zoom's authorized third parties to access, use, and share Customer Content"
    ("regress_tos_zoom.txt", "assignment_sublicensing", "solely responsible for your and your End Users",
     "assignment_sublicensing"),
]


@pytest.mark.parametrize("name,gap,words,still", NOT_EVIDENCE, ids=[f"{c[0]}-{c[1]}" for c in NOT_EVIDENCE])
def test_boilerplate_and_other_things_are_not_the_evidence(name, gap, words, still):
    """Real platform terms (Open Terms Archive) whose exhaustive clause labels showed these sentences cited as the
    evidence of a gap: settings and comments are no performance, and an indemnity, a warranty or a duty to
    comply with the law grants nothing. The gap is still raised from the terms' real grant."""
    report = scan(CORPUS / name)
    quotes = [e.quote for f in report.findings if f.gap == gap for e in f.evidence]
    assert not [q for q in quotes if words in q], quotes
    assert still in {f.gap for f in report.findings}


def test_modifying_the_content_itself_is_still_alteration(tmp_path):
    # Sketchfab terms of service, s. 4.2, with the content named as a performer's: what the readings above keep
    test_real_clause(
        tmp_path,
        "sketchfab_licence",
        "By using the Services, you grant a worldwide, non-exclusive, royalty-free, fully paid-up, perpetual, "
        "irrevocable, sub-licensable (through multiple tiers) right and license to Sketchfab to use, reproduce, "
        "publicly display, adapt, modify, reformat, and distribute your photographs, voice recordings and likeness.",
        {"digital_alteration"},
        set(),
    )


def test_an_item_of_a_prohibited_list_is_read_under_its_lead_in():
    """Dailymotion's prohibited content: "our Users are prohibited from posting any content online (real,
    animated, illustrated and/or AI generated/altered):" governs "8. Creating or modifying content using AI that
    falsely depicts ... a natural person", a ban on users, once quoted as the company's right to alter. Two
    earlier items of the same list open lists of their own ("3. ... including:"): siblings, not the lead-in."""
    from castguard.classify.sentences import Sentence, lead_ins, prohibited_list_item

    text = (CORPUS / "regress_tos_prohibited_list_dailymotion.txt").read_text(encoding="utf-8")
    start = text.index("8.  Creating or modifying content using AI")
    item = Sentence(start, text.index("\n", start), text[start : text.index("\n", start)], ())
    leads = [lead for _, _, lead in lead_ins(item, text)]
    assert leads and leads[0].startswith("In particular, our Users are prohibited from posting any content"), leads
    assert prohibited_list_item(item, text)


def test_a_survival_clause_reaches_a_licence_in_an_indented_subsection():
    """Myspace: the licence is "    1." and "    2." under "6.  Proprietary Rights in Content on Myspace" (the
    segmenter gives those items no parent), and "Sections 5-23" survive termination. The survival clause once
    counted only because a false alteration finding (device settings, s. 13) was taken for the licence."""
    report = scan(CORPUS / "regress_tos_myspace.txt")
    quotes = [e.quote for f in report.findings if f.gap == "unbounded_term_scope" for e in f.evidence]
    assert any("Even after Membership is terminated" in q for q in quotes), quotes


def test_what_protects_no_one_is_not_a_protection():
    """Myspace's terms once showed five protections, all false: a $50-a-day charge inside a 6,000-character list
    of prohibited activity (as notice of AI uses, a use schedule and data security), the law's liability "for death
    or personal injury" (as the estate's consent), a change in "European Data Protection Laws" and the company's
    right to delete inactive profiles (as data security), a disclaimer of damages from "any security breach", and
    the parties' right to an attorney in an arbitration (as counsel for these terms)."""
    report = scan(CORPUS / "regress_tos_myspace.txt")
    assert report.protections == (), [(p.gap, [e.quote[:60] for e in p.evidence]) for p in report.protections]
    labels = _labels(report)
    assert "protective:post_mortem_use" not in labels


def test_the_last_lead_in_line_is_the_one_the_line_pattern_finds_last():
    # lead_ins() looks back for a list's lead-in ("... the following purposes:") line by line from the end: the
    # same line as the last match of LINE_ENDING_IN_COLON over the window, found without a failed search from every
    # position of every line (a scan of a 10-page contract spent 40 ms there)
    import random
    import re

    from conftest import SAMPLES

    from castguard.classify.sentences import _last_line_ending_in_colon

    whole = re.compile(r"[^\n]*:[ \t]*\n")
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SAMPLES.glob("*.txt"))]
    texts += ["", "\n", ":\n", "a:\n\nb: c\n", "x:  \t\n", "no colon\n", "tail: without newline:"]
    rnd = random.Random(5)
    for text in texts:
        cuts = [(0, len(text))] + [sorted(rnd.randrange(len(text) + 1) for _ in range(2)) for _ in range(60)]
        for a, b in cuts:
            window = text[a:b]
            last = None
            for last in whole.finditer(window):
                pass
            got = _last_line_ending_in_colon(window)
            assert (got and got.span()) == (last and last.span()), (a, b)


# --------------------------------------------------------------------------- ninth session


def test_a_grants_breadth_stated_in_a_clause_of_its_own_is_cited_beside_it():
    """OnlyFans grants the licence in 10(b) and makes it "perpetual, ... sublicensable, assignable" in 10(c) ("The
    license which you grant to us under sub-section 10(b) above is perpetual"): the broad-grant finding cites both,
    the grant and what makes it broad (the clause labels mark 10(c) as the evidence)."""
    report = scan(CORPUS / "regress_tos_onlyfans.txt")
    cited = _cited_for(report, "silent_broad_legacy_grant")
    assert "You agree to grant us a license under all your Content" in cited
    assert "The license which you grant to us under sub-section" in cited


def test_a_licence_said_to_be_perpetual_is_no_broad_grant_without_a_grant_of_the_person(tmp_path):
    # the breadth alone, of a trademark licence, with the performer's grant limited to the Term: nothing broad
    report = scan_clause(tmp_path, "The license granted herein to use the Company Marks is perpetual and irrevocable.")
    assert "silent_broad_legacy_grant" not in {f.gap for f in report.findings}


def test_an_expressly_unpaid_grant_of_the_likeness_is_unpaid_reuse():
    """Myspace grants the right "to use and exploit your name, persona and likeness" and says "You will not be
    entitled to compensation" (the next sentence) or "without any obligation or remuneration to you" (the same):
    no pay for the reuse of the likeness, raised on each such clause with the words that say so, although the terms
    grant no replica or AI rights (data/README.md: an explicit 'no compensation' for the name and likeness)."""
    report = scan(CORPUS / "regress_tos_myspace.txt")
    finding = next(f for f in report.findings if f.gap == "replica_compensation_missing")
    quotes = " ".join(e.quote for e in finding.evidence)
    assert "You will not be entitled to compensation" in quotes
    assert "without any obligation or remuneration to you" in quotes


@pytest.mark.parametrize(
    "clause,raised",
    [
        # the person's likeness, exploitable, expressly unpaid (in the sentence, or in the next): raised, although
        # nothing else makes it reuse
        ("Performer grants Company the sublicensable right to use and exploit Performer's likeness, without any "
         "obligation or remuneration to Performer.", True),
        ("Performer grants Company the right to use and exploit Performer's persona and likeness in connection with "
         "the Service. Performer will not be entitled to compensation even if Company profits from such use.", True),
        # the same grant without the words: nothing
        ("Performer grants Company the right to use and exploit Performer's persona and likeness in connection with "
         "the Service.", False),
        # the company's own name and logo, unpaid: no person's likeness
        ("Company may use the Sponsor's name, logo and other identifying characteristics on merchandise, and the "
         "Sponsor is not entitled to any compensation from the sale of such merchandise.", False),
        # feedback used without compensation: not the performance
        ("Company may use and exploit any ideas, suggestions and feedback you provide without compensation to you.",
         False),
    ],
)
def test_unpaid_reuse_of_the_likeness_needs_the_likeness_and_the_words(tmp_path, clause, raised):
    report = scan_clause(tmp_path, clause)
    assert ("replica_compensation_missing" in {f.gap for f in report.findings}) is raised


def test_an_item_under_a_conditional_lead_in_is_a_condition_not_a_grant(tmp_path):
    """TikTok: "the licence granted will continue after you have removed your content if: * you have allowed other
    users of the Platform to use or reuse your content via your Platform settings (e.g. by using Duet, Stitch ...)".
    The item says when the licence goes on; it grants no reuse in other productions."""
    from conftest import require_shared

    tiktok = scan(require_shared("corpus/ai_era/ota_tiktok_terms_of_service.txt"))
    assert "reuse_other_projects" not in {f.gap for f in tiktok.findings}
    assert "assignment_sublicensing" in {f.gap for f in tiktok.findings}  # the licence itself is still read
    clause = (
        "Company's licence ends when Performer asks for the Recordings to be removed.\n"
        "However, the licence will continue after removal if:\n"
        "*   Performer has allowed other users to use or reuse the Recordings in other productions; or\n"
        "*   Company is obliged to keep the Recordings for legal reasons.\n"
    )
    assert "reuse_other_projects" not in {f.gap for f in scan_clause(tmp_path, clause).findings}
    # the same item under a lead-in that grants: read as a grant
    granted = clause.replace("However, the licence will continue after removal if:", "Company may also:")
    granted = granted.replace("Performer has allowed other users to use or reuse", "use or reuse")
    assert "reuse_other_projects" in {f.gap for f in scan_clause(tmp_path, granted).findings}


def test_use_in_another_project_is_reuse_and_its_consent_protects():
    """The rider: "Any use of the Digital Replica other than a Permitted Use, including any use in another project,
    season or production, requires Performer's new and separate written consent": a protection against reuse in
    other projects, read by the rules ("another project" is reuse as "other projects" is), not left to the model."""
    from conftest import SAMPLES

    from castguard.classify.clause_rules import RuleDetector

    report = scan(SAMPLES / "voice_actor_protective_rider.md", detector=RuleDetector())
    assert "reuse_other_projects" in {p.gap for p in report.protections if not p.hollowed}
    assert "reuse_other_projects" not in {f.gap for f in report.findings}


def test_a_numbered_clause_that_ends_in_a_colon_leads_its_bullets():
    # "2. Further Terms. ... Company may not:" over "* use ...": the bullets' lead-in, not an earlier item of their
    # list (a bullet and a number are not one list), so the items are read under it
    from castguard.classify.sentences import Sentence, lead_ins

    text = "1. Engagement. Performer is engaged.\n2. Further Terms. Company may not:\n*   use the Recordings to train AI.\n"
    start = text.index("*")
    item = Sentence(start, len(text) - 1, text[start:-1], [])
    assert [lead for _, _, lead in lead_ins(item, text)] == ["2. Further Terms. Company may not:"]
    # an earlier item of the same list that opens a list of its own is still a sibling, not the lead-in
    nested = "The Company may:\n1. use the Recordings; and\n2. share them, including:\n3. with affiliates.\n"
    start = nested.index("3.")
    item = Sentence(start, len(nested) - 1, nested[start:-1], [])
    assert [lead for _, _, lead in lead_ins(item, nested)] == ["The Company may:"]


@pytest.mark.parametrize(
    "deletion,protected",
    [
        # ChatGPT's terms: the user's own duty to delete what OpenAI licensed to them protects no one's data
        ("Upon termination, you must permanently delete the Licensed Materials and all copies thereof.", False),
        ("Upon termination, Company shall permanently delete the Recordings and the digital replica.", True),
    ],
)
def test_only_a_deletion_of_the_persons_data_protects_it(tmp_path, deletion, protected):
    clause = "Company may create a digital replica of Performer's voice from the Recordings. " + deletion
    report = scan_clause(tmp_path, clause)
    assert ("data_security_deletion_missing" in {p.gap for p in report.protections}) is protected
    assert ("data_security_deletion_missing" in {f.gap for f in report.findings}) is not protected


def test_chatgpts_user_deletion_duty_is_no_data_protection():
    from conftest import require_shared

    report = scan(require_shared("corpus/ai_era/ota_chatgpt_terms_of_service.txt"))
    assert "data_security_deletion_missing" not in {p.gap for p in report.protections}
    assert "data_security_deletion_missing" in {f.gap for f in report.findings}


@pytest.mark.parametrize(
    "sentence",
    [
        # ArtStation: the user may not assign the Agreement; nothing stops the company assigning the user's rights
        "You must not assign or sublicense this Agreement or any of your rights under this Agreement without our prior "
        "written consent, which may be withheld without cause.",
        # Sketchfab: what the user may not do to the viewer
        "The User is not permitted to modify the design or alter the appearance of the Sketchfab viewer.",
    ],
)
def test_a_duty_of_the_user_or_a_licence_to_the_user_protects_no_one(tmp_path, sentence):
    clause = (
        "You grant Company a perpetual, irrevocable, sublicensable and transferable licence to use, modify and "
        "distribute your name, likeness, voice and recordings. " + sentence
    )
    report = scan_clause(tmp_path, clause)
    protected = {p.gap for p in report.protections if not p.hollowed}
    assert not protected & {"assignment_sublicensing", "digital_alteration"}, protected


def test_a_licence_the_platform_gives_the_user_is_no_limit_on_the_platform():
    # Zoom: "Zoom grants you a limited, revocable, non-exclusive, non-transferable, non-assignable,
    # non-sublicensable, and royalty-free license" was listed as protecting against assignment
    report = scan(CORPUS / "regress_tos_zoom.txt")
    assert "assignment_sublicensing" not in {p.gap for p in report.protections if not p.hollowed}


def test_the_company_promise_to_the_user_still_protects(tmp_path):
    # the same words with the company restricted, and "you will not be required" (not a duty of the user)
    report = scan_clause(
        tmp_path,
        "Company shall not assign or sublicense its rights in your name, likeness or voice without your prior written "
        "consent. You will not be required to take part in any scan for a digital replica without your separate "
        "written consent.",
    )
    protected = {p.gap for p in report.protections if not p.hollowed}
    assert "assignment_sublicensing" in protected
    assert "replica_creation_grant" in protected


@pytest.mark.parametrize(
    "grant,protected",
    [
        # Mossimo / Duval, Berkshire / Auriemma: the endorsement licence confined to promoting the sponsor's products
        ("Performer grants to Company the right and license during the Contract Period to use Performer's name and "
         "likeness solely in connection with the advertisement and promotion of Company's Products.", True),
        # Teardrop / Ogle: "in connection with the manufacture, distribution, advertisement, promotion and sale of the
        # Endorsed Product"
        ("Performer grants to Company the exclusive right and license to use Performer's name and likeness in "
         "connection with the advertisement, promotion and sale of the Endorsed Product.", True),
        # the confinement opened again, or no confinement at all
        ("Performer grants to Company the right to use Performer's name and likeness solely in connection with the "
         "Products and otherwise.", False),
        ("Performer grants to Company the right to use Performer's name and likeness for any purpose.", False),
    ],
)
def test_a_grant_confined_to_a_named_purpose_protects_against_reuse(tmp_path, grant, protected):
    report = scan_clause(tmp_path, grant)
    assert ("reuse_other_projects" in {p.gap for p in report.protections if not p.hollowed}) is protected


def test_the_real_endorsement_licences_confined_to_the_products_are_protections():
    from conftest import require_shared

    report = scan(require_shared("corpus/cuad/MOSSIMOINC_04_14_2000-EX-10.14-ENDORSEMENT_AGREEMENT.txt"))
    prot = next(p for p in report.protections if p.gap == "reuse_other_projects")
    assert "solely in connection with the advertisement and promotion" in " ".join(e.quote for e in prot.evidence)
